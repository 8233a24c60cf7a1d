package tools

import (
	"maps"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/wazuh-mcp/wazuh-mcp/internal/policy"
)

// redactedValue replaces secret-looking configuration values.
const redactedValue = "[redacted]"

// configRedaction is the one redaction of Wazuh configuration documents
// (get_manager_config, get_agent_configuration). It records where it hid
// secrets and counts the internal addresses it hid.
type configRedaction struct {
	secrets     bool // values of secret-looking keys, and values that carry credentials
	internalIPs bool // internal IP addresses (policy.IP)
	paths       []string
	nIPs        int
}

// redact returns a copy of a decoded configuration with secrets and, when
// asked, internal IP addresses replaced; paths is sorted afterwards.
func (r *configRedaction) redact(v any) any {
	out := r.walk(v, "")
	slices.Sort(r.paths)
	return out
}

func (r *configRedaction) walk(v any, path string) any {
	switch t := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(t))
		// A {"key": k, "value": v} pair (agent labels) is judged by k,
		// not by the field name "key".
		label, isPair := t["key"].(string)
		_, hasValue := t["value"]
		isPair = isPair && hasValue
		for _, name := range slices.Sorted(maps.Keys(t)) {
			val, p := t[name], joinPath(path, name)
			key := name
			if isPair && name == "value" {
				key = label
			} else if isPair && name == "key" {
				out[name] = val
				continue
			}
			if r.secret(key, val) {
				out[name] = redactedValue
				r.paths = append(r.paths, p)
				continue
			}
			if list, ok := val.([]any); ok && r.secrets && policy.IsSecretKey(key) {
				out[name] = r.secretList(list, p)
				continue
			}
			out[name] = r.walk(val, p)
		}
		return out
	case []any:
		out := make([]any, len(t))
		for i, e := range t {
			out[i] = r.walk(e, path+"["+strconv.Itoa(i)+"]")
		}
		return out
	case string:
		if r.secrets && secretLookingValue(t) {
			r.paths = append(r.paths, path)
			return redactedValue
		}
		if r.internalIPs {
			if red := policy.IP(t, false); red != t {
				r.nIPs++
				return red
			}
		}
	}
	return v
}

// secret says whether the value under key is a secret by its key's name.
func (r *configRedaction) secret(key string, val any) bool {
	if !r.secrets || !policy.IsSecretKey(key) || harmlessValue(val) {
		return false
	}
	switch val.(type) {
	case map[string]any, []any:
		return false // a section named like a secret: judge its fields
	}
	return true
}

// secretList redacts the values of a list under a secret-looking key:
// Wazuh's JSON turns a repeated XML element (two <api_key>s) into a list, so
// each value is a secret as a lone one would be. Sections in the list are
// judged by their fields, as under a map.
func (r *configRedaction) secretList(list []any, path string) []any {
	out := make([]any, len(list))
	for i, e := range list {
		p := path + "[" + strconv.Itoa(i) + "]"
		switch t := e.(type) {
		case map[string]any:
			out[i] = r.walk(t, p)
		case []any:
			out[i] = r.secretList(t, p)
		default:
			if harmlessValue(t) {
				out[i] = t
				continue
			}
			out[i] = redactedValue
			r.paths = append(r.paths, p)
		}
	}
	return out
}

func joinPath(path, k string) string {
	k = policy.Fence(k, 64)
	if path == "" {
		return k
	}
	return path + "." + k
}

// harmlessValue: empty values, switches and file paths of certificates and
// keys name no secret, so they stay visible under secret-looking keys.
func harmlessValue(v any) bool {
	switch t := v.(type) {
	case nil, bool:
		return true
	case string:
		switch strings.ToLower(strings.TrimSpace(t)) {
		case "", "yes", "no", "true", "false", "enabled", "disabled":
			return true
		}
		return keyFilePath.MatchString(t)
	}
	return false
}

var keyFilePath = regexp.MustCompile(`^/?([A-Za-z0-9_.-]+/)+[A-Za-z0-9_.-]+\.(pem|key|crt|cert|cer|der)$|^[A-Za-z0-9_.-]+\.(pem|key|crt|cert|cer|der)$`)

// secretLookingValue finds credentials in a value whatever its key: URLs
// with user info, hook URLs, URLs carrying tokens in their query, bearer
// tokens and JWTs.
func secretLookingValue(s string) bool {
	if policy.Scrub(s) != s {
		return true
	}
	l := strings.ToLower(s)
	if !strings.HasPrefix(l, "http://") && !strings.HasPrefix(l, "https://") {
		return false
	}
	u, err := url.Parse(s)
	if err != nil {
		return true // an unparsable URL is not worth the risk
	}
	if u.User != nil || strings.Contains(strings.ToLower(u.Host+u.Path), "hook") {
		return true
	}
	for k := range u.Query() {
		if policy.IsSecretKey(k) || strings.EqualFold(k, "sig") || strings.EqualFold(k, "signature") || strings.EqualFold(k, "code") {
			return true
		}
	}
	return false
}
