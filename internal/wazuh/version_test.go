package wazuh

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
)

func TestVersionDetection(t *testing.T) {
	tests := []struct {
		name, body string
		major      int
		unsupp     bool
	}{
		{"real 4.14 shape", `{"data":{"title":"Wazuh API REST","api_version":"4.14.7","revision":41417,"hostname":"w"},"error":0}`, 4, false},
		{"spec example flat v-prefixed", `{"title":"Wazuh API","api_version":"v4.5.0","revision":"beta1","hostname":"wazuh"}`, 4, false},
		{"5.x", `{"data":{"title":"Wazuh API REST","api_version":"5.0.0","revision":50000},"error":0}`, 5, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFakeManager(t)
			f.handleJSON("/", tt.body)
			c := testClient(t, f, nil)
			info, err := c.Info(context.Background())
			if info.Major != tt.major {
				t.Fatalf("major = %d (%+v)", info.Major, info)
			}
			if got := errors.Is(err, ErrUnsupportedVersion); got != tt.unsupp {
				t.Fatalf("err = %v", err)
			}
			if tt.unsupp && (!strings.Contains(err.Error(), "5.0.0") || !strings.Contains(err.Error(), "5.x removed")) {
				t.Fatalf("message = %q", err)
			}
			if _, err := c.Ping(context.Background()); errors.Is(err, ErrUnsupportedVersion) != tt.unsupp {
				t.Fatalf("ping err = %v", err)
			}
		})
	}
}

func TestNotFoundOnV5ExplainsVersion(t *testing.T) {
	f := newFakeManager(t)
	f.handleJSON("/", `{"data":{"api_version":"5.0.0"},"error":0}`)
	c := testClient(t, f, nil)
	_, err := c.Processes(context.Background(), "001", ListOptions{}) // no handler: 404
	if !errors.Is(err, ErrUnsupportedVersion) {
		t.Fatalf("err = %v, want ErrUnsupportedVersion", err)
	}
	// On 4.x a 404 stays a 404.
	f4 := newFakeManager(t)
	c4 := testClient(t, f4, nil)
	_, err = c4.Processes(context.Background(), "001", ListOptions{})
	var ae *APIError
	if !errors.As(err, &ae) || ae.HTTPStatus != http.StatusNotFound || errors.Is(err, ErrUnsupportedVersion) {
		t.Fatalf("err = %v", err)
	}
}

func TestParseVersion(t *testing.T) {
	for v, want := range map[string][3]int{"4.14.7": {4, 14, 7}, "v4.8.0": {4, 8, 0}, "4.9.0-rc1": {4, 9, 0}, "5.0": {5, 0, 0}} {
		a, b, c, err := parseVersion(v)
		if err != nil || [3]int{a, b, c} != want {
			t.Errorf("parseVersion(%q) = %d.%d.%d %v", v, a, b, c, err)
		}
	}
	if _, _, _, err := parseVersion("four"); err == nil {
		t.Error("garbage accepted")
	}
}
