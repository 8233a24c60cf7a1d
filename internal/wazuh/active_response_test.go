package wazuh

import (
	"context"
	"encoding/json"
	"errors"
	"testing"
)

func TestActiveResponseRefusesEmptyAgentList(t *testing.T) {
	f := newFakeManager(t)
	c := testClient(t, f, nil)
	for _, ids := range [][]string{nil, {}} {
		_, err := c.ActiveResponse(context.Background(), ids, ActiveResponseCommand{Command: "firewall-drop600"})
		if !errors.Is(err, ErrNoAgents) {
			t.Fatalf("err = %v", err)
		}
	}
	if n := f.total.Load(); n != 0 {
		t.Fatalf("%d requests sent; must refuse before any request (including login)", n)
	}
}

func TestActiveResponseBody(t *testing.T) {
	tests := []struct {
		name    string
		ids     []string
		cmd     ActiveResponseCommand
		query   string
		body    string
		wantErr error
	}{
		{"block ip", []string{"1", "001", "12"}, ActiveResponseCommand{Command: "firewall-drop600", Alert: AlertData{SrcIP: "203.0.113.7"}},
			"001,012", `{"command":"firewall-drop600","alert":{"data":{"srcip":"203.0.113.7"}}}`, nil},
		{"disable user with script", []string{"002"}, ActiveResponseCommand{Command: "!disable-account", Arguments: []string{"-v"}, Alert: AlertData{DstUser: "jdoe"}},
			"002", `{"command":"!disable-account","arguments":["-v"],"alert":{"data":{"dstuser":"jdoe"}}}`, nil},
		{"ipv4-mapped normalised", []string{"003"}, ActiveResponseCommand{Command: "host-deny", Alert: AlertData{SrcIP: "::ffff:198.51.100.1"}},
			"003", `{"command":"host-deny","alert":{"data":{"srcip":"198.51.100.1"}}}`, nil},
		{"bad ip", []string{"003"}, ActiveResponseCommand{Command: "host-deny", Alert: AlertData{SrcIP: "1.2.3.4; rm -rf /"}}, "", "", ErrInvalidArgument},
		{"path in command", []string{"003"}, ActiveResponseCommand{Command: "!../../bin/sh"}, "", "", ErrInvalidArgument},
		{"all is not an id", []string{"all"}, ActiveResponseCommand{Command: "restart-wazuh"}, "", "", ErrInvalidArgument},
		{"bad user", []string{"003"}, ActiveResponseCommand{Command: "disable-account", Alert: AlertData{DstUser: "a b"}}, "", "", ErrInvalidArgument},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFakeManager(t)
			f.handleJSON("/active-response", envelopeOf([]string{"001"}, 1, 0, nil))
			c := testClient(t, f, nil)
			res, err := c.ActiveResponse(context.Background(), tt.ids, tt.cmd)
			if tt.wantErr != nil {
				if !errors.Is(err, tt.wantErr) || f.total.Load() != 0 {
					t.Fatalf("err = %v, requests %d", err, f.total.Load())
				}
				return
			}
			if err != nil || len(res.Affected) != 1 {
				t.Fatalf("res %+v err %v", res, err)
			}
			req, body := f.last("/active-response")
			if req.Method != "PUT" || req.URL.Query().Get("agents_list") != tt.query || req.Header.Get("Content-Type") != "application/json" {
				t.Fatalf("%s %s", req.Method, req.URL.RawQuery)
			}
			var got, want any
			_ = json.Unmarshal(body, &got)
			_ = json.Unmarshal([]byte(tt.body), &want)
			gb, _ := json.Marshal(got)
			wb, _ := json.Marshal(want)
			if string(gb) != string(wb) {
				t.Fatalf("body = %s, want %s", gb, wb)
			}
		})
	}
}

func TestActiveResponseZeroAffectedIsError(t *testing.T) {
	f := newFakeManager(t)
	f.handleJSON("/active-response", envelopeOf([]string{}, 0, 1, []map[string]any{{"error": map[string]any{"code": 1707,
		"message": "Cannot send request, agent is not active"}, "id": []string{"009"}}}))
	c := testClient(t, f, nil)
	_, err := c.ActiveResponse(context.Background(), []string{"9"}, ActiveResponseCommand{Command: "firewall-drop600", Alert: AlertData{SrcIP: "192.0.2.1"}})
	var pe *PartialError
	if !errors.As(err, &pe) || pe.Failed[0].Error.Code != 1707 {
		t.Fatalf("err = %v", err)
	}
	f.handleJSON("/active-response", envelopeOf([]string{}, 0, 0, nil))
	if _, err := c.ActiveResponse(context.Background(), []string{"9"}, ActiveResponseCommand{Command: "firewall-drop600"}); err == nil {
		t.Fatal("zero affected agents accepted")
	}
}
