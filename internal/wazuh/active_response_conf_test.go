package wazuh

import (
	"context"
	"encoding/json"
	"net/http"
	"reflect"
	"strconv"
	"testing"
)

func TestARCommands(t *testing.T) {
	tests := []struct {
		name     string
		sections map[string]string // section -> JSON of its value; absent: 400 code 1106
		want     []string          // name/executable/timeout
	}{
		{
			name: "blocks, timeouts and the header",
			sections: map[string]string{
				// Values as the real API renders ossec.conf: strings, or
				// booleans for timeout_allowed (spec example).
				"active-response": `[{"disabled":"no","command":"firewall-drop","location":"local","rules_id":"5763","timeout":"600"},
					{"command":"firewall-drop","location":"local","timeout":3600},
					{"command":"host-deny","location":"local","timeout":"600","disabled":"yes"},
					{"command":"restart-wazuh","location":"local","timeout":"30"},
					{"command":"undefined-cmd","location":"local","timeout":"600"},
					{"command":"firewall-drop","location":"all","timeout":"600"}]`,
				"command": `[{"name":"firewall-drop","executable":"firewall-drop","timeout_allowed":true},
					{"name":"host-deny","executable":"host-deny","timeout_allowed":"yes"},
					{"name":"restart-wazuh","executable":"restart-wazuh"}]`,
			},
			want: []string{"restart-ossec0/restart-ossec.sh/0", "restart-wazuh0/restart-wazuh/0",
				"firewall-drop600/firewall-drop/600", "firewall-drop3600/firewall-drop/3600"},
		},
		{
			name: "one block rendered as an object",
			sections: map[string]string{
				"active-response": `{"command":"disable-account","location":"local","timeout":"300"}`,
				"command":         `{"name":"disable-account","executable":"disable-account","timeout_allowed":"yes"}`,
			},
			want: []string{"restart-ossec0/restart-ossec.sh/0", "restart-wazuh0/restart-wazuh/0", "disable-account300/disable-account/300"},
		},
		{
			name:     "no active-response section",
			sections: map[string]string{"command": `[]`},
			want:     []string{"restart-ossec0/restart-ossec.sh/0", "restart-wazuh0/restart-wazuh/0"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFakeManager(t)
			f.handle("/manager/configuration", func(w http.ResponseWriter, r *http.Request) {
				sec := r.URL.Query().Get("section")
				v, ok := tt.sections[sec]
				if !ok {
					writeProblem(w, 400, map[string]any{"title": "Bad Request", "detail": "Requested section not present in configuration", "error": 1106})
					return
				}
				w.Header().Set("Content-Type", "application/json")
				_, _ = w.Write([]byte(envelopeOf([]json.RawMessage{json.RawMessage(`{"` + sec + `":` + v + `}`)}, 1, 0, nil)))
			})
			c := testClient(t, f, nil)
			got, err := c.ARCommands(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			var names []string
			for _, e := range got {
				names = append(names, e.Name+"/"+e.Executable+"/"+strconv.Itoa(e.Timeout))
			}
			if !reflect.DeepEqual(names, tt.want) {
				t.Errorf("got %v\nwant %v", names, tt.want)
			}
		})
	}
}

func TestARCommandsError(t *testing.T) {
	f := newFakeManager(t)
	f.handle("/manager/configuration", func(w http.ResponseWriter, r *http.Request) {
		writeProblem(w, 403, map[string]any{"title": "Permission Denied", "detail": "no", "error": 4000})
	})
	c := testClient(t, f, nil)
	if _, err := c.ARCommands(context.Background()); err == nil {
		t.Fatal("a refused configuration read must be an error, not an empty ar.conf")
	}
}
