package tools

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/wazuh-mcp/wazuh-mcp/internal/args"
	"github.com/wazuh-mcp/wazuh-mcp/internal/audit"
	"github.com/wazuh-mcp/wazuh-mcp/internal/indexer"
	"github.com/wazuh-mcp/wazuh-mcp/internal/policy"
	"github.com/wazuh-mcp/wazuh-mcp/internal/requestid"
	"github.com/wazuh-mcp/wazuh-mcp/internal/store"
)

// Evidence packs freeze what Wazuh said about one alert or one agent at one
// moment: every section is a read tool's answer (same shaping, fencing and
// redaction), hashed on its exact bytes; the manifest lists the hashes and
// is hashed in turn; the bundle is stored byte for byte, so its SHA-256,
// returned at creation and kept in the audit log, identifies it for good.

const (
	// EvidenceFormat names the bundle layout.
	EvidenceFormat = "wazuh-mcp/evidence-pack/v1"
	// maxEvidenceBytes bounds one stored bundle.
	maxEvidenceBytes = 8 << 20
	// Caps of the listed parts of a pack (totals stay exact).
	evidenceRelatedCap = 200
	evidenceVulnCap    = 500
	evidenceFIMCap     = 500
	evidenceInvCap     = 1000
	// Default window: before the alert (or now) and after the alert.
	evidenceBefore = "24h"
	evidenceAfter  = time.Hour
)

// evidenceIDRe is the shape of pack ids: "evp_" and 16 base32 characters.
var evidenceIDRe = regexp.MustCompile(`^evp_[a-z2-7]{16}$`)

// evidenceTools is create_evidence_pack, in the response toolset. It reads
// Wazuh and writes only to the local store, so it is not a Write tool (and
// carries the read annotations: calling it again changes nothing in Wazuh).
func evidenceTools(d Deps) []Tool {
	return []Tool{newTool("response", Spec{
		Name:        "create_evidence_pack",
		Title:       "Create evidence pack",
		Description: "Freeze an alert's or agent's context (alerts, inventory, vulns, FIM) in a hashed pack.",
	}, d.limits(), d.createEvidencePack)}
}

type evidenceIn struct {
	AlertID        args.String `json:"alert_id,omitempty" jsonschema:"alert id or document _id"`
	AgentID        args.String `json:"agent_id,omitempty"`
	TimeRange      args.String `json:"time_range,omitempty" jsonschema:"back from the alert or now; default 24h"`
	TimestampStart args.String `json:"timestamp_start,omitempty" jsonschema:"from (instead of time_range)"`
	TimestampEnd   args.String `json:"timestamp_end,omitempty" jsonschema:"to (default now)"`
	IncludeIP      *args.Bool  `json:"include_ip,omitempty"`
	IncludeCommand args.Bool   `json:"include_command,omitempty"`
	IncludeHashes  args.Bool   `json:"include_hashes,omitempty"`
	IncludeFullLog args.Bool   `json:"include_full_log,omitempty"`
}

// EvidencePack is what create_evidence_pack answers: where the pack is and
// how to check it, not the pack itself.
type EvidencePack struct {
	Result
	ID             string                   `json:"id"`
	URI            string                   `json:"uri" jsonschema:"MCP resource holding the whole pack"`
	Subject        EvidenceSubject          `json:"subject"`
	Window         Window                   `json:"window"`
	Manifest       map[string]SectionDigest `json:"manifest" jsonschema:"per section: SHA-256 of its bytes, items, partial"`
	ManifestSHA256 string                   `json:"manifest_sha256"`
	BundleSHA256   string                   `json:"bundle_sha256" jsonschema:"SHA-256 of the exported file"`
	SizeBytes      int                      `json:"size_bytes"`
}

// EvidenceSubject is what a pack is about.
type EvidenceSubject struct {
	AlertID string `json:"alert_id,omitempty"`
	AgentID string `json:"agent_id"`
}

// SectionDigest describes one section in the manifest.
type SectionDigest struct {
	SHA256    string `json:"sha256" jsonschema:"of the section's exact bytes in the bundle"`
	Items     int    `json:"items"`
	Partial   bool   `json:"partial" jsonschema:"true when the section failed; its error is recorded"`
	Truncated bool   `json:"truncated,omitempty" jsonschema:"more items exist than the pack holds"`
	Error     string `json:"error,omitempty"`
}

// EvidenceManifest heads a bundle.
type EvidenceManifest struct {
	Format    string                   `json:"format"`
	ID        string                   `json:"id"`
	CreatedAt string                   `json:"created_at"`
	Principal string                   `json:"principal"`
	Subject   EvidenceSubject          `json:"subject"`
	Window    Window                   `json:"window"`
	Redaction EvidenceRedaction        `json:"redaction"`
	Sections  map[string]SectionDigest `json:"sections"`
}

// EvidenceRedaction records the opt-ins the pack was made with.
type EvidenceRedaction struct {
	InternalIPs bool `json:"internal_ips_shown"`
	Commands    bool `json:"commands_shown"`
	Hashes      bool `json:"hashes_shown"`
	FullLogs    bool `json:"full_logs_shown"`
}

// evidenceBundle is the stored layout. Both parts stay raw so that the
// bytes hashed are the bytes stored.
type evidenceBundle struct {
	Manifest json.RawMessage            `json:"manifest"`
	Sections map[string]json.RawMessage `json:"sections"`
}

// RelatedAlerts are the alerts around a pack's subject.
type RelatedAlerts struct {
	SameAgent *AlertList `json:"same_agent"`
	SameSrcIP *AlertList `json:"same_src_ip,omitempty" jsonschema:"alerts with the subject alert's data.srcip, any agent"`
}

// evidenceSubject is a resolved subject: the alert (if any), its agent and
// the window.
type evidenceSubject struct {
	alert    *indexer.Hit
	agentID  string
	srcIP    string // raw, for the query only: the pack shows it redacted by default
	from, to time.Time
	method   string // how the window was chosen
}

// section is one gathered part of a pack.
type section struct {
	value     any
	items     int
	truncated bool
	err       error
}

func (d Deps) createEvidencePack(ctx context.Context, in *evidenceIn) (*EvidencePack, error) {
	if d.Store == nil {
		return nil, errors.New("evidence packs need the server's store (WAZUH_MCP_DATA_DIR), which this server has not opened: enable the response toolset")
	}
	subj, err := d.evidenceSubject(ctx, in)
	if err != nil {
		return nil, err
	}
	includeIP := includeIPs(in.IncludeIP, d)
	sections := d.gatherEvidence(ctx, subj, in, includeIP)

	now := d.now()
	req := callRequest(ctx)
	m := EvidenceManifest{
		Format:    EvidenceFormat,
		ID:        "evp_" + strings.ToLower(rand.Text()[:16]),
		CreatedAt: now.Format(time.RFC3339Nano),
		Principal: principalID(ctx, req),
		Subject:   EvidenceSubject{AgentID: subj.agentID},
		Window:    windowOf(subj.from, subj.to),
		Redaction: EvidenceRedaction{InternalIPs: includeIP, Commands: bool(in.IncludeCommand), Hashes: bool(in.IncludeHashes), FullLogs: bool(in.IncludeFullLog)},
	}
	if subj.alert != nil {
		m.Subject.AlertID = subj.alert.ID
	}
	bundle, err := buildBundle(&m, sections)
	if err != nil {
		return nil, err
	}
	if len(bundle) > maxEvidenceBytes {
		return nil, fmt.Errorf("the evidence pack would be %d KiB, over the %d MiB limit: narrow the window (time_range or timestamp_start/timestamp_end)", len(bundle)>>10, maxEvidenceBytes>>20)
	}
	check, err := VerifyEvidence(bundle)
	if err != nil || !check.OK() {
		return nil, fmt.Errorf("evidence pack self-check failed (a bug): %v %v", err, check.Problems)
	}
	out := &EvidencePack{
		ID: m.ID, URI: "wazuh://evidence/" + m.ID, Subject: m.Subject, Window: m.Window, Manifest: m.Sections,
		ManifestSHA256: check.ManifestSHA256, BundleSHA256: check.BundleSHA256, SizeBytes: len(bundle),
	}
	row := store.EvidenceRow{ID: m.ID, CreatedAt: now, PrincipalID: m.Principal, Subject: subjectText(m.Subject),
		ManifestSHA256: out.ManifestSHA256, Bundle: bundle}
	if err := d.Store.InsertEvidence(ctx, row, evidenceAudit(ctx, req, now, out)); err != nil {
		return nil, fmt.Errorf("storing the evidence pack: %w", err)
	}
	noteEvidence(out, subj)
	return out, nil
}

// evidenceSubject validates the arguments and resolves the alert, agent and
// window.
func (d Deps) evidenceSubject(ctx context.Context, in *evidenceIn) (evidenceSubject, error) {
	var s evidenceSubject
	agentID, err := args.OptionalAgentID("agent_id", string(in.AgentID))
	if err != nil {
		return s, err
	}
	if strings.TrimSpace(string(in.AlertID)) == "" && agentID == "" {
		return s, args.Errorf("alert_id", "give alert_id or agent_id (or both): a pack is about one alert or one agent")
	}
	explicit := strings.TrimSpace(string(in.TimestampStart)) != "" || strings.TrimSpace(string(in.TimestampEnd)) != ""
	if explicit && strings.TrimSpace(string(in.TimeRange)) != "" {
		return s, args.Errorf("time_range", "give time_range or timestamp_start/timestamp_end, not both")
	}
	now := d.now()
	ref := now // time_range counts back from the alert, or from now
	if strings.TrimSpace(string(in.AlertID)) != "" {
		h, err := d.alertHit(ctx, in.AlertID)
		if err != nil {
			return s, err
		}
		var raw rawAlert
		if err := json.Unmarshal(h.Source, &raw); err != nil {
			return s, fmt.Errorf("alert %s does not decode: %w", policy.Fence(h.ID, 128), err)
		}
		alertAgent, err := args.AgentID("agent_id", raw.Agent.ID)
		if err != nil {
			return s, fmt.Errorf("alert %s has no valid agent id (%q)", policy.Fence(h.ID, 128), policy.Fence(raw.Agent.ID, 16))
		}
		if agentID != "" && agentID != alertAgent {
			return s, args.Errorf("agent_id", "alert %s was reported by agent %s, not %s: omit agent_id or give the alert's agent", policy.Fence(h.ID, 128), alertAgent, agentID)
		}
		agentID, s.alert, s.srcIP = alertAgent, &h, validIP(stringField(raw.Data, "srcip"))
		if !explicit {
			if ref, err = parseWazuhTime(raw.Timestamp); err != nil {
				return s, fmt.Errorf("alert %s has no readable timestamp (%q): give timestamp_start and timestamp_end", policy.Fence(h.ID, 128), policy.Fence(raw.Timestamp, 40))
			}
		}
	} else if _, err := d.agentByID(ctx, agentID); err != nil {
		return s, err
	}
	s.agentID = agentID
	if explicit {
		s.method = "timestamp_start to timestamp_end as given"
		s.from, s.to, err = args.Window("timestamp_start", string(in.TimestampStart), "timestamp_end", string(in.TimestampEnd), 24*time.Hour, now)
		return s, err
	}
	if s.from, s.to, err = args.TimeRange("time_range", string(in.TimeRange), evidenceBefore, ref); err != nil {
		return s, err
	}
	rng := firstNonEmpty(strings.TrimSpace(string(in.TimeRange)), evidenceBefore)
	s.method = "the last " + rng
	if s.alert != nil {
		s.to = s.to.Add(evidenceAfter)
		s.method = rng + " before the alert to 1h after it"
	}
	return s, nil
}

// gatherEvidence reads every section at once; each is a read tool's answer
// for the subject, and a failure is recorded in its section.
func (d Deps) gatherEvidence(ctx context.Context, s evidenceSubject, in *evidenceIn, includeIP bool) map[string]section {
	id := args.String(s.agentID)
	ipArg := args.Bool(includeIP)
	readers := map[string]func() section{
		"agent": func() section {
			out, err := d.getAgent(ctx, &agentIDIn{AgentID: id, IncludeIP: &ipArg})
			return section{value: out, items: 1, err: err}
		},
		"processes": func() section {
			out, err := d.agentProcesses(ctx, &processesIn{AgentID: id, Limit: evidenceInvCap, IncludeCommand: in.IncludeCommand})
			if err != nil {
				return section{err: err}
			}
			return section{value: out, items: len(out.Processes), truncated: out.Truncated}
		},
		"ports": func() section {
			out, err := d.agentPorts(ctx, &portsIn{AgentID: id, Limit: evidenceInvCap, IncludeIP: &ipArg})
			if err != nil {
				return section{err: err}
			}
			return section{value: out, items: len(out.Ports), truncated: out.Truncated}
		},
		"network": func() section {
			out, err := d.agentNetwork(ctx, &agentNetworkIn{AgentID: id, IncludeIP: &ipArg})
			if err != nil {
				return section{err: err}
			}
			return section{value: out, items: len(out.Interfaces)}
		},
		"vulnerabilities": func() section {
			out, err := d.getVulnerabilities(ctx, &vulnsIn{AgentID: id, Limit: evidenceVulnCap})
			if err != nil {
				return section{err: err}
			}
			return section{value: out, items: out.Returned, truncated: out.Truncated}
		},
		"fim": func() section {
			out, err := d.fimState(ctx, s.agentID, evidenceFIMCap, s.from, s.to, bool(in.IncludeHashes))
			if err != nil {
				return section{err: err}
			}
			sec := section{value: out, items: len(out.Files.Entries), truncated: out.Files.Total > out.Files.Returned}
			if out.Alerts != nil {
				sec.items += len(out.Alerts.Events)
				sec.truncated = sec.truncated || out.Alerts.Total > int64(out.Alerts.Returned)
			}
			return sec
		},
		"related_alerts": func() section { return d.relatedAlerts(ctx, s, in, includeIP) },
	}
	if s.alert != nil {
		readers["alert"] = func() section {
			return section{value: alertDetail(*s.alert, includeIP, bool(in.IncludeFullLog)), items: 1}
		}
	}
	out := make(map[string]section, len(readers))
	var mu sync.Mutex
	var wg sync.WaitGroup
	for name, read := range readers {
		wg.Go(func() {
			sec := read()
			mu.Lock()
			out[name] = sec
			mu.Unlock()
		})
	}
	wg.Wait()
	return out
}

// relatedAlerts lists the alerts of the subject's agent in the window and,
// for an alert with a source IP, the alerts from that IP on any agent.
func (d Deps) relatedAlerts(ctx context.Context, s evidenceSubject, in *evidenceIn, includeIP bool) section {
	ipArg := args.Bool(includeIP)
	opts := commonAlertOptions{IncludeFullLog: in.IncludeFullLog, IncludeIP: &ipArg}
	var rel RelatedAlerts
	var err error
	if rel.SameAgent, err = d.listAlerts(ctx, indexer.AlertFilter{From: s.from, To: s.to, AgentIDs: []string{s.agentID}}, evidenceRelatedCap, opts); err != nil {
		return section{err: err}
	}
	sec := section{value: &rel, items: rel.SameAgent.Returned, truncated: rel.SameAgent.Truncated}
	if s.srcIP != "" {
		if rel.SameSrcIP, err = d.listAlerts(ctx, indexer.AlertFilter{From: s.from, To: s.to, SrcIPs: []string{s.srcIP}}, evidenceRelatedCap, opts); err != nil {
			return section{err: fmt.Errorf("alerts from the alert's source IP: %w", err)}
		}
		sec.items += rel.SameSrcIP.Returned
		sec.truncated = sec.truncated || rel.SameSrcIP.Truncated
	}
	return sec
}

// buildBundle encodes the sections, fills m.Sections with their digests and
// returns the bundle.
func buildBundle(m *EvidenceManifest, sections map[string]section) ([]byte, error) {
	raw := make(map[string]json.RawMessage, len(sections))
	m.Sections = make(map[string]SectionDigest, len(sections))
	for name, sec := range sections {
		var dg SectionDigest
		value := sec.value
		if sec.err != nil {
			dg.Partial, dg.Error = true, errorText(sec.err)
			value = map[string]string{"error": dg.Error}
		} else {
			dg.Items, dg.Truncated = sec.items, sec.truncated
		}
		b, err := json.Marshal(value)
		if err != nil {
			return nil, fmt.Errorf("encoding evidence section %s: %w", name, err)
		}
		dg.SHA256 = sha256Hex(b)
		raw[name], m.Sections[name] = b, dg
	}
	mb, err := json.Marshal(m)
	if err != nil {
		return nil, fmt.Errorf("encoding the evidence manifest: %w", err)
	}
	bundle, err := json.Marshal(evidenceBundle{Manifest: mb, Sections: raw})
	if err != nil {
		return nil, fmt.Errorf("encoding the evidence pack: %w", err)
	}
	return bundle, nil
}

func sha256Hex(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

// principalID is the caller as the audit log names it.
func principalID(ctx context.Context, req *mcp.CallToolRequest) string {
	id, _ := audit.Principal(ctx, req)
	return id
}

func subjectText(s EvidenceSubject) string {
	if s.AlertID != "" {
		return "alert " + s.AlertID + " (agent " + s.AgentID + ")"
	}
	return "agent " + s.AgentID
}

// evidenceAudit records the pack's hashes in the audit chain, so that a
// later edit of the stored pack is detectable against the log.
func evidenceAudit(ctx context.Context, req *mcp.CallToolRequest, now time.Time, p *EvidencePack) store.AuditRecord {
	detail, _ := json.Marshal(map[string]any{
		"evidence_id": p.ID, "subject": p.Subject, "manifest_sha256": p.ManifestSHA256,
		"bundle_sha256": p.BundleSHA256, "size": p.SizeBytes,
	})
	e := audit.Event{Time: now, Kind: audit.KindToolCall, Principal: principalID(ctx, req), CorrelationID: requestid.From(ctx),
		Tool: "create_evidence_pack", Outcome: "stored", Detail: detail}
	if req != nil && req.Session != nil {
		e.Session = req.Session.ID()
	}
	return e.Record()
}

func noteEvidence(out *EvidencePack, s evidenceSubject) {
	out.AddNote("window: %s", s.method)
	out.AddNote("the whole pack is the resource %s; export it with `wazuh-mcp evidence export %s` and check it with `wazuh-mcp evidence verify %s` (bundle_sha256 is the file's SHA-256)", out.URI, out.ID, out.ID)
	out.AddNote("sections are the answers of get_alert, get_agent, get_agent_processes/ports/network, get_wazuh_vulnerabilities and get_fim_events, with the read tools' redaction defaults, and raw log lines only with include_full_log: a pack may be shared, so opt in (include_*) only when needed")
	out.AddNote("related_alerts: the agent's alerts in the window (and, for an alert with a source IP, that IP's alerts on any agent), newest first, up to %d each; totals are exact", evidenceRelatedCap)
	var failed []string
	for _, name := range slices.Sorted(maps.Keys(out.Manifest)) {
		if out.Manifest[name].Partial {
			failed = append(failed, name)
		}
	}
	if len(failed) > 0 {
		out.AddNote("sections that failed (their error is recorded in the pack): %s", strings.Join(failed, ", "))
	}
}

// --- verification, shared with `wazuh-mcp evidence verify` ---

// EvidenceCheck is the outcome of VerifyEvidence.
type EvidenceCheck struct {
	ID             string
	BundleSHA256   string // of the bytes given
	ManifestSHA256 string // of the manifest's bytes in the bundle
	Sections       []SectionCheck
	Problems       []string
}

// SectionCheck compares one section with the manifest.
type SectionCheck struct {
	Name, Want, Got string
	Items           int
	Partial         bool
}

// OK says that every section matches the manifest.
func (c EvidenceCheck) OK() bool { return len(c.Problems) == 0 }

// VerifyEvidence recomputes the hashes of a bundle: each section's SHA-256
// (of its exact bytes) against the manifest, and the manifest's and the
// bundle's own. An error means the bytes are not an evidence pack.
func VerifyEvidence(bundle []byte) (EvidenceCheck, error) {
	c := EvidenceCheck{BundleSHA256: sha256Hex(bundle)}
	var b evidenceBundle
	dec := json.NewDecoder(bytes.NewReader(bundle))
	if err := dec.Decode(&b); err != nil {
		return c, fmt.Errorf("not an evidence pack: %w", err)
	}
	if dec.More() {
		return c, errors.New("not an evidence pack: data after the JSON object")
	}
	var m EvidenceManifest
	if len(b.Manifest) == 0 || json.Unmarshal(b.Manifest, &m) != nil || m.Format != EvidenceFormat {
		return c, fmt.Errorf("not an evidence pack: no %s manifest", EvidenceFormat)
	}
	c.ID, c.ManifestSHA256 = m.ID, sha256Hex(b.Manifest)
	for _, name := range slices.Sorted(maps.Keys(m.Sections)) {
		dg := m.Sections[name]
		sc := SectionCheck{Name: name, Want: dg.SHA256, Items: dg.Items, Partial: dg.Partial}
		if raw, ok := b.Sections[name]; ok {
			sc.Got = sha256Hex(raw)
		}
		switch {
		case sc.Got == "":
			c.Problems = append(c.Problems, fmt.Sprintf("section %s is in the manifest but missing", name))
		case sc.Got != sc.Want:
			c.Problems = append(c.Problems, fmt.Sprintf("section %s: SHA-256 %s, manifest says %s", name, sc.Got, sc.Want))
		}
		c.Sections = append(c.Sections, sc)
	}
	for _, name := range slices.Sorted(maps.Keys(b.Sections)) {
		if _, ok := m.Sections[name]; !ok {
			c.Problems = append(c.Problems, fmt.Sprintf("section %s is not in the manifest", policy.Fence(name, 64)))
		}
	}
	return c, nil
}

// --- resource wazuh://evidence/{id} ---

var evidenceTemplate = &mcp.ResourceTemplate{
	Name: "evidence", Title: "Evidence pack", URITemplate: "wazuh://evidence/{id}", MIMEType: jsonMIME,
	Description: "A stored evidence pack (create_evidence_pack), exactly as stored: manifest and sections.",
}

// evidenceResource serves stored packs byte for byte, so that what a
// client reads hashes to the pack's bundle_sha256.
func evidenceResource(d Deps) mcp.ResourceHandler {
	return func(ctx context.Context, req *mcp.ReadResourceRequest) (*mcp.ReadResourceResult, error) {
		uri := req.Params.URI
		id, err := resourceID(uri, "evidence")
		if err != nil {
			return nil, resourceNotFound(uri, err)
		}
		if !evidenceIDRe.MatchString(id) {
			return nil, resourceNotFound(uri, fmt.Errorf("%q is not an evidence pack id (evp_ and 16 letters or digits)", policy.Fence(id, 64)))
		}
		row, err := d.Store.GetEvidence(ctx, id)
		if errors.Is(err, store.ErrNotFound) {
			return nil, resourceNotFound(uri, fmt.Errorf("no evidence pack %s", id))
		}
		if err != nil {
			return nil, fmt.Errorf("reading evidence pack %s: %w", id, err)
		}
		return &mcp.ReadResourceResult{Contents: []*mcp.ResourceContents{{URI: uri, MIMEType: jsonMIME, Text: string(row.Bundle)}}}, nil
	}
}
