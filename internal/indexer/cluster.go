package indexer

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"time"
)

// ClusterInfo is the answer of GET /.
type ClusterInfo struct {
	Name          string `json:"name"` // node name
	ClusterName   string `json:"cluster_name"`
	ClusterUUID   string `json:"cluster_uuid"`
	Version       string `json:"version"`      // version.number, e.g. "2.19.1"
	Distribution  string `json:"distribution"` // "opensearch" for the Wazuh indexer
	LuceneVersion string `json:"lucene_version,omitempty"`
}

// ClusterHealth is the answer of GET /_cluster/health.
type ClusterHealth struct {
	ClusterName         string  `json:"cluster_name"`
	Status              string  `json:"status"` // green, yellow, red
	TimedOut            bool    `json:"timed_out"`
	NumberOfNodes       int     `json:"number_of_nodes"`
	NumberOfDataNodes   int     `json:"number_of_data_nodes"`
	ActivePrimaryShards int     `json:"active_primary_shards"`
	ActiveShards        int     `json:"active_shards"`
	RelocatingShards    int     `json:"relocating_shards"`
	InitializingShards  int     `json:"initializing_shards"`
	UnassignedShards    int     `json:"unassigned_shards"`
	PendingTasks        int     `json:"number_of_pending_tasks"`
	ActiveShardsPercent float64 `json:"active_shards_percent_as_number"`
}

// Ping calls GET / and returns the cluster's identity and the round-trip
// time of the call (retries included).
func (c *Client) Ping(ctx context.Context) (ClusterInfo, time.Duration, error) {
	const op = "ping indexer"
	start := time.Now()
	res, err := c.do(ctx, request{op: op, method: http.MethodGet, path: "/"})
	latency := time.Since(start)
	if err != nil {
		return ClusterInfo{}, latency, err
	}
	var raw struct {
		Name        string `json:"name"`
		ClusterName string `json:"cluster_name"`
		ClusterUUID string `json:"cluster_uuid"`
		Version     struct {
			Number        string `json:"number"`
			Distribution  string `json:"distribution"`
			LuceneVersion string `json:"lucene_version"`
		} `json:"version"`
	}
	if err := json.Unmarshal(res.body, &raw); err != nil {
		return ClusterInfo{}, latency, fmt.Errorf("%s: decode response: %w", op, err)
	}
	return ClusterInfo{
		Name:          raw.Name,
		ClusterName:   raw.ClusterName,
		ClusterUUID:   raw.ClusterUUID,
		Version:       raw.Version.Number,
		Distribution:  raw.Version.Distribution,
		LuceneVersion: raw.Version.LuceneVersion,
	}, latency, nil
}

// Health calls GET /_cluster/health.
func (c *Client) Health(ctx context.Context) (ClusterHealth, error) {
	const op = "indexer cluster health"
	res, err := c.do(ctx, request{op: op, method: http.MethodGet, path: "/_cluster/health"})
	if err != nil {
		return ClusterHealth{}, err
	}
	var h ClusterHealth
	if err := json.Unmarshal(res.body, &h); err != nil {
		return ClusterHealth{}, fmt.Errorf("%s: decode response: %w", op, err)
	}
	return h, nil
}
