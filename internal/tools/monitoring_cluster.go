package tools

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/wazuh-mcp/wazuh-mcp/internal/args"
	"github.com/wazuh-mcp/wazuh-mcp/internal/indexer"
	"github.com/wazuh-mcp/wazuh-mcp/internal/policy"
	"github.com/wazuh-mcp/wazuh-mcp/internal/wazuh"
)

// --- get_wazuh_cluster_health ---

// ClusterHealth is the answer of get_wazuh_cluster_health.
type ClusterHealth struct {
	Result
	Healthy bool               `json:"healthy"`
	Verdict string             `json:"verdict" jsonschema:"healthy, degraded or unhealthy"`
	Cluster ManagerCluster     `json:"cluster"`
	Indexer *IndexerHealthInfo `json:"indexer,omitempty"`
	Checks  []HealthCheck      `json:"checks"`
	Method  string             `json:"method"`
}

// ManagerCluster is the state of the Wazuh Manager cluster.
type ManagerCluster struct {
	Enabled bool                `json:"enabled"`
	Running bool                `json:"running"`
	Nodes   []ClusterNodeHealth `json:"nodes,omitempty"`
}

// ClusterNodeHealth is one node of GET /cluster/healthcheck.
type ClusterNodeHealth struct {
	Name          string `json:"name"`
	Type          string `json:"type"`
	Version       string `json:"version"`
	ActiveAgents  int    `json:"active_agents"`
	LastKeepAlive string `json:"last_keep_alive,omitempty" jsonschema:"workers: last keep-alive seen by the master"`
}

// IndexerHealthInfo is the indexer's GET /_cluster/health.
type IndexerHealthInfo struct {
	Status           string  `json:"status" jsonschema:"green, yellow or red"`
	Nodes            int     `json:"nodes"`
	DataNodes        int     `json:"data_nodes"`
	UnassignedShards int     `json:"unassigned_shards"`
	ActiveShardsPct  float64 `json:"active_shards_pct"`
}

// workerKeepAliveLimit is the Wazuh master's default
// max_allowed_time_without_keepalive: past it the worker is disconnected.
const workerKeepAliveLimit = 120 * time.Second

const clusterHealthMethod = "unhealthy if a critical check fails (cluster enabled but not running; a worker's last keep-alive older than 120 s, the master's default disconnection limit; indexer status red); " +
	"degraded if a warning check fails (a node's version differs from the master's; indexer status yellow); healthy otherwise. " +
	"Data: GET /cluster/status and /cluster/healthcheck of the Manager API, GET /_cluster/health of the indexer."

func (d Deps) clusterHealth(ctx context.Context, _ *monitorIn) (*ClusterHealth, error) {
	st, err := d.Wazuh.ClusterStatus(ctx)
	if err != nil {
		return nil, fmt.Errorf("cluster status: %w", err)
	}
	out := &ClusterHealth{Cluster: ManagerCluster{Enabled: st.Enabled == "yes", Running: st.Running == "yes"}, Method: clusterHealthMethod}
	switch {
	case !out.Cluster.Enabled:
		out.AddNote("the Manager cluster is disabled: a standalone manager, nothing to check there")
	case !out.Cluster.Running:
		out.Checks = append(out.Checks, HealthCheck{Name: "cluster", Severity: "critical", Evidence: "the cluster is enabled but wazuh-clusterd is not running"})
	default:
		p, err := d.Wazuh.ClusterHealthcheck(ctx, nil)
		if err != nil {
			return nil, fmt.Errorf("cluster healthcheck: %w", err)
		}
		out.Cluster.Nodes, out.Checks = nodeChecks(p.Items, d.now())
	}
	h, err := d.Indexer.Health(ctx)
	if err != nil {
		out.AddNote("%s", indexerNote("indexer health", err))
	} else {
		out.Indexer = &IndexerHealthInfo{Status: policy.Fence(h.Status, 16), Nodes: h.NumberOfNodes, DataNodes: h.NumberOfDataNodes,
			UnassignedShards: h.UnassignedShards, ActiveShardsPct: h.ActiveShardsPercent}
		out.Checks = append(out.Checks, indexerCheck(h))
	}
	if out.Checks == nil {
		out.Checks = []HealthCheck{}
	}
	out.Verdict = verdict(out.Checks)
	out.Healthy = out.Verdict == "healthy"
	return out, nil
}

// nodeChecks shapes the healthcheck items and checks each worker's
// keep-alive and every node's version against the master's.
func nodeChecks(items []wazuh.NodeHealth, now time.Time) ([]ClusterNodeHealth, []HealthCheck) {
	var nodes []ClusterNodeHealth
	var checks []HealthCheck
	master := ""
	for _, it := range items {
		if it.Info.Type == "master" {
			master = it.Info.Version
		}
	}
	for _, it := range items {
		var st struct {
			LastKeepAlive string `json:"last_keep_alive"`
		}
		_ = json.Unmarshal(it.Status, &st)
		n := ClusterNodeHealth{
			Name: policy.Fence(it.Info.Name, 128), Type: policy.Fence(it.Info.Type, 16), Version: policy.Fence(it.Info.Version, 32),
			ActiveAgents: int(it.Info.NActiveAgents), LastKeepAlive: policy.Fence(st.LastKeepAlive, 40),
		}
		nodes = append(nodes, n)
		if master != "" && it.Info.Version != master {
			checks = append(checks, HealthCheck{Name: "version:" + n.Name, Severity: "warning",
				Evidence: fmt.Sprintf("node runs %s, the master %s", n.Version, policy.Fence(master, 32))})
		}
		if it.Info.Type == "master" {
			continue
		}
		checks = append(checks, keepAliveCheck(n, now))
	}
	return nodes, checks
}

func keepAliveCheck(n ClusterNodeHealth, now time.Time) HealthCheck {
	c := HealthCheck{Name: "keep_alive:" + n.Name, Severity: "critical"}
	t, err := parseClusterTime(n.LastKeepAlive)
	if err != nil {
		c.Evidence = "no keep-alive reported for this worker"
		return c
	}
	age := now.Sub(t).Round(time.Second)
	c.OK = age <= workerKeepAliveLimit
	c.Evidence = fmt.Sprintf("last keep-alive %s ago; limit %s", age, workerKeepAliveLimit)
	return c
}

// parseClusterTime reads the cluster's "2026-11-21 11:59:38.000000+00:00".
func parseClusterTime(s string) (time.Time, error) {
	if t, err := time.Parse("2006-01-02 15:04:05.999999-07:00", s); err == nil {
		return t.UTC(), nil
	}
	return parseWazuhTime(s)
}

func indexerCheck(h indexer.ClusterHealth) HealthCheck {
	c := HealthCheck{Name: "indexer", Severity: "critical", OK: h.Status == "green"}
	if h.Status == "yellow" {
		c.Severity = "warning"
	}
	c.Evidence = fmt.Sprintf("indexer cluster status %s, %d unassigned shards", policy.Fence(h.Status, 16), h.UnassignedShards)
	return c
}

// --- get_wazuh_cluster_nodes ---

type clusterNodesIn struct {
	IncludeIP *args.Bool `json:"include_ip,omitempty"`
}

// ClusterNodes is the answer of get_wazuh_cluster_nodes.
type ClusterNodes struct {
	Result
	Enabled bool              `json:"enabled" jsonschema:"whether the Manager cluster is enabled"`
	Total   int               `json:"total"`
	Nodes   []ClusterNodeInfo `json:"nodes"`
}

// ClusterNodeInfo is one node of GET /cluster/nodes.
type ClusterNodeInfo struct {
	Name    string `json:"name"`
	Type    string `json:"type" jsonschema:"master or worker"`
	Version string `json:"version"`
	IP      string `json:"ip,omitempty"`
}

// maxClusterNodes bounds one answer; Wazuh clusters have a handful of nodes.
const maxClusterNodes = 500

func (d Deps) clusterNodes(ctx context.Context, in *clusterNodesIn) (*ClusterNodes, error) {
	st, err := d.Wazuh.ClusterStatus(ctx)
	if err != nil {
		return nil, fmt.Errorf("cluster status: %w", err)
	}
	out := &ClusterNodes{Enabled: st.Enabled == "yes", Nodes: []ClusterNodeInfo{}}
	if !out.Enabled || st.Running != "yes" {
		out.AddNote("the Manager cluster is %s: no nodes to list (a standalone manager)", map[bool]string{true: "not running", false: "disabled"}[out.Enabled])
		return out, nil
	}
	p, err := d.Wazuh.ClusterNodes(ctx, wazuh.ListOptions{Limit: maxClusterNodes, Sort: "+name"})
	if err != nil {
		if errors.Is(err, wazuh.ErrNotFound) {
			out.AddNote("the Manager reports no cluster nodes")
			return out, nil
		}
		return nil, fmt.Errorf("cluster nodes: %w", err)
	}
	includeIP := includeIPs(in.IncludeIP, d)
	for _, n := range p.Items {
		out.Nodes = append(out.Nodes, ClusterNodeInfo{Name: policy.Fence(n.Name, 128), Type: policy.Fence(n.Type, 16),
			Version: policy.Fence(n.Version, 32), IP: policy.IP(policy.Fence(n.IP, 128), includeIP)})
	}
	out.Total = p.Total
	if p.Total > len(p.Items) {
		out.AddNote("%d of %d nodes listed", len(p.Items), p.Total)
	}
	return out, nil
}
