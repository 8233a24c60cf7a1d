package tools

import (
	"context"
	"errors"
	"fmt"

	"github.com/wazuh-mcp/wazuh-mcp/internal/indexer"
	"github.com/wazuh-mcp/wazuh-mcp/internal/policy"
	"github.com/wazuh-mcp/wazuh-mcp/internal/wazuh"
)

// ConnectionReport is the answer of validate_wazuh_connection.
type ConnectionReport struct {
	Result
	OK       bool              `json:"ok" jsonschema:"Manager and indexer both fully usable"`
	Manager  ManagerConnection `json:"manager"`
	Indexer  IndexerConnection `json:"indexer"`
	Problems []Problem         `json:"problems" jsonschema:"what is wrong and how to fix it"`
}

// ManagerConnection is what the Manager API check found.
type ManagerConnection struct {
	OK            bool   `json:"ok"`
	Reachable     bool   `json:"reachable"`
	Authenticated bool   `json:"authenticated"`
	APIVersion    string `json:"api_version,omitempty"`
	Supported     bool   `json:"supported" jsonschema:"Wazuh 4.x (5.x removes most endpoints)"`
	LatencyMS     int64  `json:"latency_ms,omitempty"`
}

// IndexerConnection is what the indexer check found.
type IndexerConnection struct {
	OK              bool        `json:"ok"`
	Configured      bool        `json:"configured"`
	Reachable       bool        `json:"reachable"`
	Authenticated   bool        `json:"authenticated"`
	Version         string      `json:"version,omitempty"`
	ClusterStatus   string      `json:"cluster_status,omitempty"`
	LatencyMS       int64       `json:"latency_ms,omitempty"`
	Alerts          *IndexState `json:"alerts_index,omitempty"`
	Vulnerabilities *IndexState `json:"vulnerabilities_index,omitempty"`
}

// IndexState says whether the indices of a pattern exist.
type IndexState struct {
	Pattern string `json:"pattern"`
	Exists  bool   `json:"exists"`
	Indices int    `json:"indices"`
	Docs    int64  `json:"docs"`
}

// Problem is one failed check with its fix.
type Problem struct {
	Component string `json:"component" jsonschema:"manager or indexer"`
	Problem   string `json:"problem"`
	Fix       string `json:"fix"`
}

func (d Deps) validateConnection(ctx context.Context, _ *monitorIn) (*ConnectionReport, error) {
	out := &ConnectionReport{Problems: []Problem{}}
	out.Manager, out.Manager.OK = d.checkManager(ctx, &out.Problems)
	out.Indexer, out.Indexer.OK = d.checkIndexer(ctx, &out.Problems)
	out.OK = out.Manager.OK && out.Indexer.OK
	out.AddNote("Manager: GET / (login, API version, one uncached round trip for latency). Indexer: GET /, GET /_cluster/health, GET /_cat/indices for the alerts and vulnerabilities patterns")
	return out, nil
}

const managerNetFix = "check WAZUH_HOST and WAZUH_PORT (default 55000), that the Manager API (wazuh-apid) runs and that this host may reach it; " +
	"for TLS errors set WAZUH_CA_BUNDLE to the CA that signed its certificate (WAZUH_VERIFY_SSL=false only for tests)"

func (d Deps) checkManager(ctx context.Context, problems *[]Problem) (ManagerConnection, bool) {
	var m ManagerConnection
	add := func(problem, fix string) { *problems = append(*problems, Problem{"manager", problem, fix}) }
	latency, err := d.Wazuh.Ping(ctx)
	var apiErr *wazuh.APIError
	switch {
	case err == nil:
		m.Reachable, m.Authenticated, m.Supported = true, true, true
	case errors.Is(err, wazuh.ErrUnsupportedVersion):
		m.Reachable, m.Authenticated = true, true
		add(errorText(err), "wazuh-mcp supports Wazuh 4.8 to 4.14: point WAZUH_HOST at a 4.x Manager")
	case errors.Is(err, wazuh.ErrUnauthorized):
		m.Reachable = true
		add("the Manager API refused the login: "+errorText(err), "check WAZUH_USER and WAZUH_PASS (an API user such as wazuh-wui, not a dashboard-only user)")
	case errors.Is(err, wazuh.ErrForbidden):
		m.Reachable, m.Authenticated = true, true
		add("the API user may not read basic information: "+errorText(err), "give the WAZUH_USER user a read role (e.g. the stock readonly policy)")
	case errors.Is(err, wazuh.ErrNotConfigured):
		add(errorText(err), "set WAZUH_HOST, WAZUH_USER and WAZUH_PASS")
	case errors.Is(err, context.DeadlineExceeded):
		add("no answer from the Manager API in time", managerNetFix+"; or raise REQUEST_TIMEOUT_SECONDS")
	case errors.As(err, &apiErr) && apiErr.HTTPStatus < 500:
		m.Reachable = true
		add("the Manager API answered with an error: "+errorText(err), "check that WAZUH_HOST and WAZUH_PORT point at the Wazuh Manager API, not the dashboard or indexer")
	default:
		add("the Manager API is unreachable: "+errorText(err), managerNetFix)
	}
	if err == nil || errors.Is(err, wazuh.ErrUnsupportedVersion) {
		info, _ := d.Wazuh.Info(ctx) // cached by the ping: no second request
		m.APIVersion = policy.Fence(info.APIVersion, 32)
	}
	if m.Reachable {
		m.LatencyMS = latency.Milliseconds()
	}
	return m, err == nil
}

const indexerNetFix = "check WAZUH_INDEXER_HOST and WAZUH_INDEXER_PORT (default 9200) and that this host may reach it; " +
	"for TLS errors set WAZUH_INDEXER_CA_BUNDLE (WAZUH_INDEXER_VERIFY_SSL=false only for tests)"

func (d Deps) checkIndexer(ctx context.Context, problems *[]Problem) (IndexerConnection, bool) {
	var ic IndexerConnection
	add := func(problem, fix string) { *problems = append(*problems, Problem{"indexer", problem, fix}) }
	if !d.Indexer.Configured() {
		add("the Wazuh indexer is not configured: alert and vulnerability tools cannot answer",
			"set WAZUH_INDEXER_HOST, WAZUH_INDEXER_USER and WAZUH_INDEXER_PASS")
		return ic, false
	}
	ic.Configured = true
	info, latency, err := d.Indexer.Ping(ctx)
	switch {
	case err == nil:
		ic.Reachable, ic.Authenticated = true, true
		ic.Version, ic.LatencyMS = policy.Fence(info.Version, 32), latency.Milliseconds()
	case errors.Is(err, indexer.ErrAuth):
		ic.Reachable = true
		add("the indexer refused the credentials", "check WAZUH_INDEXER_USER and WAZUH_INDEXER_PASS")
		return ic, false
	case errors.Is(err, indexer.ErrForbidden):
		ic.Reachable, ic.Authenticated = true, true
		add("the indexer user may not read cluster information (GET /)", "map the WAZUH_INDEXER_USER user to a role with cluster:monitor/main")
	case errors.Is(err, indexer.ErrUnreachable), errors.Is(err, context.DeadlineExceeded):
		add("the indexer is unreachable: "+errorText(err), indexerNetFix)
		return ic, false
	default:
		ic.Reachable = true
		add("the indexer answered with an error: "+errorText(err), "check that WAZUH_INDEXER_HOST points at the Wazuh indexer (OpenSearch), not the dashboard")
		return ic, false
	}
	ok := err == nil
	if h, err := d.Indexer.Health(ctx); err != nil {
		ok = false
		add("cluster health unavailable: "+errorText(err), "give the WAZUH_INDEXER_USER user the cluster:monitor/health permission")
	} else {
		ic.ClusterStatus = policy.Fence(h.Status, 16)
		if h.Status == "red" {
			ok = false
			add(fmt.Sprintf("the indexer cluster is red (%d unassigned shards): some data cannot be searched", h.UnassignedShards),
				"check the indexer nodes and disk space (GET /_cluster/allocation/explain on the indexer)")
		}
	}
	for _, idx := range []struct {
		pattern string
		dst     **IndexState
		fix     string
	}{
		{d.Indexer.AlertsIndex(), &ic.Alerts, "alerts reach the indexer through Filebeat on the Manager: check that filebeat runs and `filebeat test output` succeeds"},
		{d.Indexer.VulnerabilitiesIndex(), &ic.Vulnerabilities, "enable vulnerability-detection with index-status yes in the Manager's ossec.conf and its indexer connector"},
	} {
		set, err := d.Indexer.Indices(ctx, idx.pattern)
		if err != nil {
			ok = false
			add(fmt.Sprintf("cannot list indices %s: %s", idx.pattern, errorText(err)), "give the WAZUH_INDEXER_USER user read access to wazuh-alerts-4.x-* and wazuh-states-vulnerabilities-*")
			continue
		}
		*idx.dst = &IndexState{Pattern: set.Pattern, Exists: set.Indices > 0, Indices: set.Indices, Docs: set.Docs}
		if set.Indices == 0 {
			ok = false
			add("no index matches "+set.Pattern, idx.fix)
		}
	}
	return ic, ok
}
