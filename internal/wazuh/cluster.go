package wazuh

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
)

// ClusterStatus is GET /cluster/status.
type ClusterStatus struct {
	Enabled string `json:"enabled"` // "yes"/"no"
	Running string `json:"running"`
}

// ClusterStatus reports whether the cluster is enabled and running.
func (c *Client) ClusterStatus(ctx context.Context) (ClusterStatus, error) {
	var s ClusterStatus
	err := c.Get(ctx, "/cluster/status", nil, nil, &s)
	return s, err
}

// ClusterNode is an item of GET /cluster/nodes.
type ClusterNode struct {
	Name    string `json:"name"`
	Type    string `json:"type"` // master, worker
	Version string `json:"version"`
	IP      string `json:"ip"`
	Extra   Extra  `json:"extra,omitempty"`
}

// UnmarshalJSON keeps unknown fields in Extra.
func (n *ClusterNode) UnmarshalJSON(b []byte) error {
	type plain ClusterNode
	extra, err := decodeWithExtra(b, (*plain)(n))
	n.Extra = extra
	return err
}

// ClusterNodes lists the cluster nodes (Params: type, nodes_list).
// A standalone manager answers with an error (cluster not running).
func (c *Client) ClusterNodes(ctx context.Context, opts ListOptions) (Page[ClusterNode], error) {
	return listPath[ClusterNode](ctx, c, "/cluster/nodes", nil, opts)
}

// NodeHealth is an item of GET /cluster/healthcheck.
type NodeHealth struct {
	Info struct {
		Name          string  `json:"name"`
		Type          string  `json:"type"`
		Version       string  `json:"version"`
		IP            string  `json:"ip"`
		NActiveAgents FlexInt `json:"n_active_agents"`
	} `json:"info"`
	// Status holds the synchronisation details (absent for the master).
	Status json.RawMessage `json:"status,omitempty"`
}

// ClusterHealthcheck returns the health of the given nodes (nil = all).
func (c *Client) ClusterHealthcheck(ctx context.Context, nodes []string) (Page[NodeHealth], error) {
	q := url.Values{}
	for _, n := range nodes {
		if strings.ContainsAny(n, ",") || n == "" {
			return Page[NodeHealth]{}, fmt.Errorf("%w: node name %q", ErrInvalidArgument, n)
		}
	}
	if len(nodes) > 0 {
		q.Set("nodes_list", strings.Join(nodes, ","))
	}
	return List[NodeHealth](ctx, c, "/cluster/healthcheck", nil, q)
}

// ClusterLocalInfo is GET /cluster/local/info.
type ClusterLocalInfo struct {
	Node    string `json:"node"`
	Cluster string `json:"cluster"`
	Type    string `json:"type"`
}

// ClusterLocalInfo returns the node this API runs on.
func (c *Client) ClusterLocalInfo(ctx context.Context) (ClusterLocalInfo, error) {
	return first(List[ClusterLocalInfo](ctx, c, "/cluster/local/info", nil, nil))
}
