package bench

import (
	"errors"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/modelcontextprotocol/go-sdk/jsonrpc"
)

// Latency summarises durations in milliseconds.
type Latency struct {
	P50  float64 `json:"p50_ms"`
	P95  float64 `json:"p95_ms"`
	P99  float64 `json:"p99_ms"`
	Max  float64 `json:"max_ms"`
	Mean float64 `json:"mean_ms"`
}

// Percentile returns the nearest-rank p-th percentile (0 < p ≤ 100) of
// sorted durations: the smallest value with at least p% of the values at or
// below it. It returns 0 for no values.
func Percentile(sorted []time.Duration, p float64) time.Duration {
	n := len(sorted)
	if n == 0 {
		return 0
	}
	rank := int(math.Ceil(p*float64(n)/100 - 1e-9)) // the epsilon keeps exact ranks exact
	rank = min(max(rank, 1), n)
	return sorted[rank-1]
}

// Summarise sorts ds in place and returns its latency summary.
func Summarise(ds []time.Duration) Latency {
	if len(ds) == 0 {
		return Latency{}
	}
	slices.Sort(ds)
	var sum time.Duration
	for _, d := range ds {
		sum += d
	}
	return Latency{
		P50: ms(Percentile(ds, 50)), P95: ms(Percentile(ds, 95)), P99: ms(Percentile(ds, 99)),
		Max: ms(ds[len(ds)-1]), Mean: ms(sum / time.Duration(len(ds))),
	}
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// Error kinds of a failed call.
const (
	KindTransport = "transport" // no JSON-RPC answer: connection, HTTP status, timeout
	KindJSONRPC   = "jsonrpc"   // a JSON-RPC error answer (unknown tool, invalid params...)
	KindTool      = "tool"      // a result with isError: the tool refused or the backend failed
)

// Errors counts failed calls by kind, with the first error text of each.
type Errors struct {
	Transport       int    `json:"transport"`
	JSONRPC         int    `json:"jsonrpc"`
	Tool            int    `json:"tool"`
	TransportSample string `json:"transport_sample,omitempty"`
	JSONRPCSample   string `json:"jsonrpc_sample,omitempty"`
	ToolSample      string `json:"tool_sample,omitempty"`
}

// Total is the number of failed calls.
func (e Errors) Total() int { return e.Transport + e.JSONRPC + e.Tool }

// Add counts one failure of kind with its text.
func (e *Errors) Add(kind, text string) {
	text = sample(text)
	switch kind {
	case KindTransport:
		e.Transport++
		if e.TransportSample == "" {
			e.TransportSample = text
		}
	case KindJSONRPC:
		e.JSONRPC++
		if e.JSONRPCSample == "" {
			e.JSONRPCSample = text
		}
	default:
		e.Tool++
		if e.ToolSample == "" {
			e.ToolSample = text
		}
	}
}

// Merge adds o's counts (keeping e's samples when it has them).
func (e *Errors) Merge(o Errors) {
	e.Transport += o.Transport
	e.JSONRPC += o.JSONRPC
	e.Tool += o.Tool
	e.TransportSample = firstOf(e.TransportSample, o.TransportSample)
	e.JSONRPCSample = firstOf(e.JSONRPCSample, o.JSONRPCSample)
	e.ToolSample = firstOf(e.ToolSample, o.ToolSample)
}

func firstOf(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// SDK-made JSON-RPC codes that mean the request never got an answer: the
// go-sdk wraps HTTP failures (refused connection, an HTTP error status) as
// "rejected by transport" and calls during its own close as "client is
// closing".
const (
	codeRejectedByTransport = -32005
	codeClientClosing       = -32003
)

// Classify tells the kind of a call error: a JSON-RPC error answer of the
// server, or a transport failure (no answer).
func Classify(err error) string {
	var we *jsonrpc.Error
	if errors.As(err, &we) && we.Code != codeRejectedByTransport && we.Code != codeClientClosing {
		return KindJSONRPC
	}
	return KindTransport
}

// sample bounds an error text for the report.
func sample(s string) string {
	s = strings.TrimSpace(strings.ReplaceAll(s, "\n", " "))
	if len(s) > 240 {
		s = s[:240] + "…"
	}
	return s
}

// recorder collects one worker's results; workers merge at the end, so
// recording takes no lock.
type recorder struct {
	lat  map[string][]time.Duration
	errs map[string]*Errors
}

func newRecorder() *recorder {
	return &recorder{lat: map[string][]time.Duration{}, errs: map[string]*Errors{}}
}

func (r *recorder) ok(label string, d time.Duration) { r.lat[label] = append(r.lat[label], d) }

func (r *recorder) fail(label string, d time.Duration, kind, text string) {
	r.lat[label] = append(r.lat[label], d)
	e := r.errs[label]
	if e == nil {
		e = &Errors{}
		r.errs[label] = e
	}
	e.Add(kind, text)
}

func (r *recorder) merge(o *recorder) {
	for k, v := range o.lat {
		r.lat[k] = append(r.lat[k], v...)
	}
	for k, v := range o.errs {
		e := r.errs[k]
		if e == nil {
			e = &Errors{}
			r.errs[k] = e
		}
		e.Merge(*v)
	}
}
