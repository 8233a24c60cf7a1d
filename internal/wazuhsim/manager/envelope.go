package manager

// messages are the three texts an affected-items result can carry
// (framework AffectedItemsWazuhResult: all_msg, some_msg, none_msg).
type messages struct{ all, some, none string }

// failedItem groups the ids that failed with the same error, as the real
// API does.
type failedItem struct {
	Error wazuhError `json:"error"`
	ID    []string   `json:"id"`
}

// itemsData is data{} of an affected-items response, keys in real order.
type itemsData struct {
	AffectedItems      []any        `json:"affected_items"`
	TotalAffectedItems int          `json:"total_affected_items"`
	TotalFailedItems   int          `json:"total_failed_items"`
	FailedItems        []failedItem `json:"failed_items"`
}

// itemsResponse is the whole envelope.
type itemsResponse struct {
	Data    itemsData `json:"data"`
	Message string    `json:"message,omitempty"`
	Error   int       `json:"error"`
}

// dataResponse is the envelope of endpoints whose data is a plain object
// (GET /, /agents/summary/status, /cluster/status, agent config).
type dataResponse struct {
	Data    any    `json:"data"`
	Message string `json:"message,omitempty"`
	Error   int    `json:"error"`
}

// result accumulates affected and failed items.
type result struct {
	affected []any
	total    int // total_affected_items (before paging); -1 means len(affected)
	failed   []failedItem
	nFailed  int
}

func newResult() *result { return &result{total: -1} }

// fail records id as failed with e, grouping ids by error code.
func (r *result) fail(id string, e wazuhError) {
	r.nFailed++
	for i := range r.failed {
		if r.failed[i].Error.Code == e.Code && r.failed[i].Error.Message == e.Message {
			r.failed[i].ID = append(r.failed[i].ID, id)
			return
		}
	}
	r.failed = append(r.failed, failedItem{Error: e, ID: []string{id}})
}

// response builds the envelope: error 0 when nothing failed, 2 when some
// items failed, 1 when everything failed (framework/wazuh/core/results.py).
func (r *result) response(m messages) itemsResponse {
	total := r.total
	if total < 0 {
		total = len(r.affected)
	}
	affected := r.affected
	if affected == nil {
		affected = []any{}
	}
	failed := r.failed
	if failed == nil {
		failed = []failedItem{}
	}
	resp := itemsResponse{Data: itemsData{
		AffectedItems: affected, TotalAffectedItems: total,
		TotalFailedItems: r.nFailed, FailedItems: failed,
	}}
	switch {
	case r.nFailed == 0:
		resp.Message = m.all
	case total > 0:
		resp.Message, resp.Error = m.some, 2
	default:
		resp.Message, resp.Error = m.none, 1
	}
	return resp
}
