package store

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"
	"time"
)

func TestEvidence(t *testing.T) {
	ctx := context.Background()
	s := openTemp(t)
	t0 := time.Date(2026, 11, 21, 12, 0, 0, 123e6, time.UTC)
	// A bundle with bytes a re-encoder would change (spacing, key order,
	// escapes): it must come back exactly.
	bundle := []byte(`{"z":1,  "a":"\u003c\u00e9>"}` + "\n")
	rows := []EvidenceRow{
		{ID: "evp_old", CreatedAt: t0, PrincipalID: "local", Subject: "agent 001", ManifestSHA256: "aa", Bundle: []byte(`{}`)},
		{ID: "evp_new", CreatedAt: t0.Add(time.Minute), PrincipalID: "key_1", Subject: "alert x", ManifestSHA256: "bb", Bundle: bundle},
	}
	rec := AuditRecord{At: t0, Kind: "tool_call", Record: []byte(`{"tool":"create_evidence_pack"}`)}
	for _, r := range rows {
		if err := s.InsertEvidence(ctx, r, rec); err != nil {
			t.Fatal(err)
		}
	}
	var audited int
	if err := s.EachAudit(ctx, 0, time.Time{}, func(AuditRecord) error { audited++; return nil }); err != nil || audited != 2 {
		t.Fatalf("audit records with the packs: %d (%v), want 2", audited, err)
	}

	for _, tc := range []struct {
		name    string
		insert  EvidenceRow
		wantErr string
	}{
		{"duplicate id", rows[0], "insert evidence pack evp_old"},
		{"no id", EvidenceRow{Bundle: []byte("{}")}, "an id and a bundle are required"},
		{"no bundle", EvidenceRow{ID: "evp_x"}, "an id and a bundle are required"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := s.InsertEvidence(ctx, tc.insert)
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Fatalf("error %v, want %q", err, tc.wantErr)
			}
		})
	}

	for _, tc := range []struct {
		id      string
		want    *EvidenceRow
		wantErr error
	}{
		{"evp_new", &rows[1], nil},
		{"evp_old", &rows[0], nil},
		{"evp_missing", nil, ErrNotFound},
	} {
		t.Run("get "+tc.id, func(t *testing.T) {
			got, err := s.GetEvidence(ctx, tc.id)
			if tc.wantErr != nil {
				if !errors.Is(err, tc.wantErr) || !strings.Contains(err.Error(), tc.id) {
					t.Fatalf("error %v, want %v naming the id", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			w := tc.want
			if got.ID != w.ID || !got.CreatedAt.Equal(w.CreatedAt) || got.PrincipalID != w.PrincipalID || got.Subject != w.Subject ||
				got.ManifestSHA256 != w.ManifestSHA256 || got.Size != int64(len(w.Bundle)) || !bytes.Equal(got.Bundle, w.Bundle) {
				t.Fatalf("got %+v, want %+v", got, *w)
			}
		})
	}

	for _, tc := range []struct {
		limit int
		want  []string
	}{{0, []string{"evp_new", "evp_old"}}, {1, []string{"evp_new"}}, {5, []string{"evp_new", "evp_old"}}} {
		list, err := s.ListEvidence(ctx, tc.limit)
		if err != nil {
			t.Fatal(err)
		}
		var ids []string
		for _, e := range list {
			ids = append(ids, e.ID)
			if e.Bundle != nil || e.Size == 0 {
				t.Errorf("list must carry the size, not the bundle: %+v", e)
			}
		}
		if strings.Join(ids, ",") != strings.Join(tc.want, ",") {
			t.Errorf("ListEvidence(%d) = %v, want %v", tc.limit, ids, tc.want)
		}
	}
}
