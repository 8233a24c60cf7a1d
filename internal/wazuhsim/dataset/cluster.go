package dataset

import "time"

// Cluster layout: node01 is the master (this manager), node02 a worker.
// All agents report to node01, as their node_name says.
const workerAddr = "10.0.0.3"

func buildCluster(agents []agent, now time.Time) ClusterState {
	active := countActive(agents)
	ver := WazuhVersion[1:]
	master := Item{"name": MasterNode, "type": "master", "version": ver, "ip": managerAddr}
	worker := Item{"name": WorkerNode, "type": "worker", "version": ver, "ip": workerAddr}
	ts := func(d time.Duration) string { return now.Add(-d).UTC().Format("2006-01-02 15:04:05.000000+00:00") }
	workerStatus := Item{
		"sync_integrity_free": true, "sync_agent_info_free": true,
		"last_check_integrity": Item{"date_start_master": ts(41 * time.Second), "date_end_master": ts(40 * time.Second)},
		"last_sync_integrity": Item{"date_start_master": ts(9*time.Minute + 12*time.Second), "tmp_date_start_master": ts(9*time.Minute + 12*time.Second),
			"date_end_master": ts(9*time.Minute + 11*time.Second), "total_extra_valid": 0,
			"total_files": Item{"missing": 0, "extra": 0, "extra_valid": 0, "shared": 3}},
		"last_sync_agentgroup":      Item{"date_start": ts(38 * time.Second), "date_end": ts(37 * time.Second), "n_synced_chunks": 1},
		"last_sync_full_agentgroup": Item{"date_start": ts(31 * time.Minute), "date_end": ts(31*time.Minute - time.Second), "n_synced_chunks": 2},
		"last_sync_agentinfo":       Item{"date_start_master": ts(9 * time.Second), "date_end_master": ts(8 * time.Second), "n_synced_chunks": 1},
		"last_keep_alive":           ts(22 * time.Second),
	}
	return ClusterState{
		Status: Item{"enabled": "yes", "running": "yes"},
		Nodes:  []Item{master, clone(worker)},
		Healthcheck: []Item{
			{"info": Item{"name": MasterNode, "type": "master", "version": ver, "ip": managerAddr, "n_active_agents": active}},
			{"info": Item{"name": WorkerNode, "type": "worker", "version": ver, "ip": workerAddr, "n_active_agents": 0}, "status": workerStatus},
		},
		LocalInfo: Item{"node": MasterNode, "cluster": ClusterName, "type": "master"},
	}
}

// clone copies a flat item so two collections never share one map.
func clone(it Item) Item {
	out := make(Item, len(it))
	for k, v := range it {
		out[k] = v
	}
	return out
}
