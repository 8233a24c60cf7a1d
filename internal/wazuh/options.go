package wazuh

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"strconv"
	"strings"

	"github.com/wazuh-mcp/wazuh-mcp/internal/args"
)

// ErrInvalidArgument marks a call refused before any request because an
// argument is malformed (bad agent id, sort field, limit…).
var ErrInvalidArgument = errors.New("wazuh: invalid argument")

// MaxLimit is the largest page the Manager serves (MAXIMUM_DATABASE_LIMIT).
const MaxLimit = 100000

// ListOptions are the common paging and filtering parameters of list endpoints.
type ListOptions struct {
	Offset int
	Limit  int      // 0 = the Manager's default (500)
	Sort   string   // "+field,-other"
	Search string   // free text (LIKE); a leading "-" negates, as in the Wazuh API
	Select []string // fields to return
	Q      Q        // typed q filter
	// Params are endpoint-specific filters (e.g. "pid", "protocol", "level",
	// "group"); keys must not repeat the ones above.
	Params url.Values
}

var sortRe = regexp.MustCompile(`^[+-]?[A-Za-z0-9_.]+(,[+-]?[A-Za-z0-9_.]+)*$`)

// values renders o as query parameters.
func (o ListOptions) values() (url.Values, error) {
	v := url.Values{}
	for k, vals := range o.Params {
		switch k {
		case "offset", "limit", "sort", "search", "select", "q":
			return nil, fmt.Errorf("%w: parameter %q must be set through its ListOptions field", ErrInvalidArgument, k)
		}
		v[k] = append([]string(nil), vals...)
	}
	if o.Offset < 0 || o.Limit < 0 || o.Limit > MaxLimit {
		return nil, fmt.Errorf("%w: offset must be ≥ 0 and limit within 0..%d (got %d, %d)", ErrInvalidArgument, MaxLimit, o.Offset, o.Limit)
	}
	if o.Offset > 0 {
		v.Set("offset", strconv.Itoa(o.Offset))
	}
	if o.Limit > 0 {
		v.Set("limit", strconv.Itoa(o.Limit))
	}
	if o.Sort != "" {
		if !sortRe.MatchString(o.Sort) {
			return nil, fmt.Errorf("%w: sort %q must look like +field,-field", ErrInvalidArgument, o.Sort)
		}
		v.Set("sort", o.Sort)
	}
	if o.Search != "" {
		v.Set("search", o.Search)
	}
	if len(o.Select) > 0 {
		for _, f := range o.Select {
			if !qField.MatchString(f) {
				return nil, fmt.Errorf("%w: select field %q", ErrInvalidArgument, f)
			}
		}
		v.Set("select", strings.Join(o.Select, ","))
	}
	q, err := o.Q.Build()
	if err != nil {
		return nil, err
	}
	if q != "" {
		v.Set("q", q)
	}
	return v, nil
}

// NormalizeAgentID checks an agent id and returns its canonical form by
// args.AgentID, the server's one rule: "1", "01" and "0001" are all "001".
func NormalizeAgentID(id string) (string, error) {
	n, err := args.AgentID("agent_id", id)
	if err != nil {
		// Callers name their own argument (agent_id, agents_list…); keep
		// only what is wrong and what is allowed.
		var ae *args.Error
		if errors.As(err, &ae) {
			return "", fmt.Errorf("%w: %s", ErrInvalidArgument, ae.Problem)
		}
		return "", fmt.Errorf("%w: %w", ErrInvalidArgument, err)
	}
	return n, nil
}

// normalizeAgentIDs normalises every id.
func normalizeAgentIDs(ids []string) ([]string, error) {
	out := make([]string, len(ids))
	for i, id := range ids {
		n, err := NormalizeAgentID(id)
		if err != nil {
			return nil, err
		}
		out[i] = n
	}
	return out, nil
}

// listPath lists endpoint for one path parameter with opts.
func listPath[T any](ctx context.Context, c *Client, endpoint string, params []string, opts ListOptions) (Page[T], error) {
	q, err := opts.values()
	if err != nil {
		return Page[T]{}, err
	}
	return List[T](ctx, c, endpoint, params, q)
}

// listAgentPath lists an agent-scoped endpoint such as /syscollector/{agent_id}/ports.
func listAgentPath[T any](ctx context.Context, c *Client, endpoint, agentID string, opts ListOptions) (Page[T], error) {
	id, err := NormalizeAgentID(agentID)
	if err != nil {
		return Page[T]{}, err
	}
	return listPath[T](ctx, c, endpoint, []string{id}, opts)
}

// first returns the first item of a single-item answer.
func first[T any](p Page[T], err error) (T, error) {
	var zero T
	if err != nil {
		return zero, err
	}
	if len(p.Items) == 0 {
		return zero, &APIError{HTTPStatus: 404, Title: "Not Found", Detail: "the Manager returned no item"}
	}
	return p.Items[0], nil
}
