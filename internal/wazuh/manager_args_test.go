package wazuh

import (
	"context"
	"errors"
	"testing"
)

// TestManagerArgumentsWithinSpec: arguments the spec refuses for these
// operations (found by internal/contract) are refused before any request,
// and the largest accepted values are sent as is.
func TestManagerArgumentsWithinSpec(t *testing.T) {
	f := newFakeManager(t)
	f.handleJSON("/manager/logs", envelopeOf([]any{}, 0, 0, nil))
	f.handleJSON("/manager/daemons/stats", envelopeOf([]any{}, 0, 0, nil))
	c := testClient(t, f, func(cfg *Config) { cfg.CacheTTL = -1 })
	ctx := context.Background()
	cases := []struct {
		name, path, param, want string // want: the query value sent; "" = refused
		call                    func() error
	}{
		{"logs limit at the log maximum", "/manager/logs", "limit", "500", func() error {
			return errOnly(c.ManagerLogs(ctx, LogFilter{ListOptions: ListOptions{Limit: MaxLogLimit}}))
		}},
		{"logs limit above the log maximum", "/manager/logs", "limit", "", func() error {
			return errOnly(c.ManagerLogs(ctx, LogFilter{ListOptions: ListOptions{Limit: MaxLogLimit + 1}}))
		}},
		{"every stats daemon", "/manager/daemons/stats", "daemons_list", "wazuh-analysisd,wazuh-remoted,wazuh-db", func() error {
			return errOnly(c.ManagerDaemonStats(ctx, []string{"wazuh-analysisd", "wazuh-remoted", "wazuh-db"}))
		}},
		{"daemon without stats", "/manager/daemons/stats", "daemons_list", "", func() error {
			return errOnly(c.ManagerDaemonStats(ctx, []string{"wazuh-execd"}))
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			before := f.hitsFor(tc.path)
			err := tc.call()
			if tc.want == "" {
				if !errors.Is(err, ErrInvalidArgument) || f.hitsFor(tc.path) != before {
					t.Fatalf("err = %v, requests %d → %d; want ErrInvalidArgument and no request", err, before, f.hitsFor(tc.path))
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if req, _ := f.last(tc.path); req.URL.Query().Get(tc.param) != tc.want {
				t.Fatalf("%s = %q, want %q", tc.param, req.URL.Query().Get(tc.param), tc.want)
			}
		})
	}
}

func errOnly[T any](_ T, err error) error { return err }
