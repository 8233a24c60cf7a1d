package wazuh

import (
	"context"
	"errors"
	"testing"
)

// TestMitreTacticsAndMitigationsDecodeRealExamples serves the spec's
// examples of GET /mitre/tactics and /mitre/mitigations and checks the
// id-list lookups send the ids as one comma-separated parameter.
func TestMitreTacticsAndMitigationsDecodeRealExamples(t *testing.T) {
	ex := specExamples(t)
	f := newFakeManager(t)
	f.handleJSON("/mitre/tactics", mustExample(t, ex, "GET /mitre/tactics"))
	f.handleJSON("/mitre/mitigations", mustExample(t, ex, "GET /mitre/mitigations"))
	c := testClient(t, f, nil)
	ctx := context.Background()

	tac := "x-mitre-tactic--7141578b-e50b-4dcc-bfa4-08a8dd689e9e"
	other := "x-mitre-tactic--daa4cbb1-b4f4-4723-a824-7f1efd6e0592"
	tactics, err := c.MitreTacticsByID(ctx, []string{tac, other})
	if err != nil || len(tactics) != 1 || tactics[0].Name != "Lateral Movement" || tactics[0].ExternalID != "TA0008" || len(tactics[0].Techniques) != 23 {
		t.Fatalf("tactics = %+v, %v", tactics, err)
	}
	req, _ := f.last("/mitre/tactics")
	if got := req.URL.Query().Get("tactic_ids"); got != tac+","+other {
		t.Fatalf("tactic_ids = %q", got)
	}
	mit := "course-of-action--12241367-a8b7-49b4-b86e-2236901ba50c"
	mits, err := c.MitreMitigationsByID(ctx, []string{mit})
	if err != nil || len(mits) != 1 || mits[0].Name != "Network Intrusion Prevention" || mits[0].ExternalID != "M1031" || mits[0].URL == "" {
		t.Fatalf("mitigations = %+v, %v", mits, err)
	}
	req, _ = f.last("/mitre/mitigations")
	if got := req.URL.Query().Get("mitigation_ids"); got != mit {
		t.Fatalf("mitigation_ids = %q", got)
	}

	if got, err := c.MitreTacticsByID(ctx, nil); got != nil || err != nil {
		t.Fatalf("no ids: %v, %v", got, err)
	}
	bad := [][]string{{"TA0008"}, {tac + ",x"}, {"course-of-action--12241367-a8b7-49b4-b86e-2236901ba50c"}}
	for _, ids := range bad {
		if _, err := c.MitreTacticsByID(ctx, ids); !errors.Is(err, ErrInvalidArgument) {
			t.Errorf("tactic ids %q: err = %v, want ErrInvalidArgument", ids, err)
		}
	}
	if _, err := c.MitreMitigationsByID(ctx, []string{tac}); !errors.Is(err, ErrInvalidArgument) {
		t.Errorf("a tactic id accepted as a mitigation id: %v", err)
	}
}
