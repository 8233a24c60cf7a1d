// Package contract holds cross-package contract tests: the requests the
// production clients (internal/wazuh, internal/indexer) send and the answers
// the stand-in (internal/wazuhsim) gives over generated data, checked against
// the real Wazuh 4.14.7 OpenAPI spec where one exists. It has no code of its
// own; the tests live here because they span packages that must not import
// each other.
package contract
