package approval_test

import (
	"context"
	"database/sql"
	"errors"
	"testing"
	"time"

	_ "modernc.org/sqlite"

	"github.com/wazuh-mcp/wazuh-mcp/internal/approval"
)

// A plan edited in the database (say, another IP written into the body)
// no longer matches its hash: it is never approved and never executed.
func TestEditedPlanIsNeitherApprovedNorExecuted(t *testing.T) {
	for _, approveFirst := range []bool{false, true} {
		e := newCrashEnv(t)
		a := e.propose(t, "203.0.113.80")
		if approveFirst {
			if _, err := e.gate.Approve(context.Background(), a.ID, a.PlanHash, approval.Approver{ID: "cli:op", Via: approval.ViaCLI}); err != nil {
				t.Fatal(err)
			}
		}
		db, err := sql.Open("sqlite", "file:"+e.storePath)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.Exec(`UPDATE actions SET plan = replace(plan, '203.0.113.80', '10.0.0.1') WHERE id = ?`, a.ID); err != nil {
			t.Fatal(err)
		}
		db.Close()
		if !approveFirst {
			_, err := e.gate.Approve(context.Background(), a.ID, a.PlanHash, approval.Approver{ID: "cli:op", Via: approval.ViaCLI})
			if !errors.Is(err, approval.ErrHashMismatch) {
				t.Fatalf("approving an edited plan: %v", err)
			}
			continue
		}
		e.start(t, "execute", "", 0)
		got := e.waitStatus(t, a.ID, approval.Failed, 5*time.Second)
		if got.Result == nil || got.Result.Error == "" {
			t.Errorf("result %+v", got.Result)
		}
		if n := e.activeResponses(); n != 0 {
			t.Fatalf("an edited plan reached Wazuh (%d requests)", n)
		}
	}
}
