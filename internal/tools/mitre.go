package tools

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/wazuh-mcp/wazuh-mcp/internal/args"
	"github.com/wazuh-mcp/wazuh-mcp/internal/indexer"
	"github.com/wazuh-mcp/wazuh-mcp/internal/policy"
	"github.com/wazuh-mcp/wazuh-mcp/internal/wazuh"
)

const mitreToolset = "mitre"

// mitreTools returns the mitre toolset: techniques from the Manager's MITRE
// ATT&CK database, sightings from the indexer.
func mitreTools(d Deps) []Tool {
	lim := d.limits()
	return []Tool{
		newTool(mitreToolset, Spec{
			Name:        "get_mitre_technique",
			Title:       "Get MITRE technique",
			Description: "ATT&CK technique with tactics and mitigations, and its alert count in the last 30 days.",
		}, lim, d.mitreTechnique),
		newTool(mitreToolset, Spec{
			Name:        "map_alert_to_attack",
			Title:       "Map alert to ATT&CK",
			Description: "The ATT&CK techniques, tactics and mitigations of one alert's rule.",
		}, lim, d.mapAlertToAttack),
	}
}

// Technique is an ATT&CK technique as the Manager's MITRE database has it.
type Technique struct {
	ID          string   `json:"id"`
	Name        string   `json:"name"`
	Description string   `json:"description,omitempty"`
	Tactics     []string `json:"tactics"`
	Platforms   []string `json:"platforms,omitempty"`
	Mitigations []string `json:"mitigations"`
	URL         string   `json:"url,omitempty"`
	Deprecated  bool     `json:"deprecated,omitempty"`
}

const (
	techniqueDescMax = 1200 // bytes of description in get_mitre_technique
	mappedDescMax    = 300  // per technique in map_alert_to_attack
	maxMappedTechs   = 10   // techniques resolved per alert
)

// --- get_mitre_technique ---

type mitreTechniqueIn struct {
	TechniqueID args.String `json:"technique_id" jsonschema:"e.g. T1110 or T1110.001"`
}

// MitreTechniqueResult is a technique and its recent sightings.
type MitreTechniqueResult struct {
	Result
	Technique Technique `json:"technique"`
	Alerts30d *int64    `json:"alerts_30d,omitempty" jsonschema:"alerts with this technique id in the last 30 days"`
}

func (d Deps) mitreTechnique(ctx context.Context, in *mitreTechniqueIn) (*MitreTechniqueResult, error) {
	id := strings.ToUpper(strings.TrimSpace(string(in.TechniqueID)))
	if id == "" {
		return nil, args.Errorf("technique_id", "is required")
	}
	if !mitreIDRe.MatchString(id) {
		return nil, args.Errorf("technique_id", "%q is not an ATT&CK technique id (T1110 or T1110.001)", policy.Fence(string(in.TechniqueID), 64))
	}
	techs, err := d.resolveTechniques(ctx, []string{id}, techniqueDescMax)
	if err != nil {
		return nil, err
	}
	if len(techs) == 0 {
		return nil, args.Errorf("technique_id", "%s is not in the Manager's MITRE database", id)
	}
	out := &MitreTechniqueResult{Technique: techs[0]}
	now := d.now()
	total, res, err := d.Indexer.AggregateAlerts(ctx, indexer.AlertFilter{
		From: now.Add(-30 * 24 * time.Hour), To: now,
		Extra: []indexer.Query{indexer.Term{Field: indexer.FieldRuleMitreID, Value: id}},
	}, map[string]indexer.Agg{})
	switch {
	case err != nil:
		out.AddNote("alert count unavailable: %s", errorText(alertError(err)))
	case res.NoIndex:
		out.AddNote("no alert index matched (wazuh-alerts-4.x-*): alert count unavailable")
	default:
		out.Alerts30d = &total
		out.AddNote("alerts_30d counts alerts whose rule.mitre.id is exactly %s (sub-techniques are counted separately)", id)
		notePartial(&out.Result, res.TimedOut, res.FailedShards)
	}
	noteTechniques(&out.Result, techs)
	return out, nil
}

// noteTechniques states the caveats of technique data.
func noteTechniques(r *Result, techs []Technique) {
	for _, t := range techs {
		if len(t.Platforms) == 0 {
			r.AddNote("platforms are not in the Manager's MITRE database (Wazuh 4.2+ API); see the technique url")
			return
		}
	}
}

// resolveTechniques looks techniques up in the Manager's MITRE database and
// resolves their tactic and mitigation ids to names, with one request for
// all tactics and one for all mitigations. Unknown ids are left out.
func (d Deps) resolveTechniques(ctx context.Context, ids []string, descMax int) ([]Technique, error) {
	var found []wazuh.MitreTechnique
	var tacticIDs, mitigationIDs []string
	for _, id := range ids {
		t, err := d.Wazuh.MitreTechniqueByExternalID(ctx, id)
		if errors.Is(err, wazuh.ErrNotFound) {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("MITRE technique %s: %w", id, err)
		}
		found = append(found, t)
		tacticIDs = appendNew(tacticIDs, t.Tactics...)
		mitigationIDs = appendNew(mitigationIDs, t.Mitigations...)
	}
	tactics, err := d.Wazuh.MitreTacticsByID(ctx, tacticIDs)
	if err != nil {
		return nil, fmt.Errorf("MITRE tactics: %w", err)
	}
	tacticNames := map[string]string{}
	for _, t := range tactics {
		tacticNames[t.ID] = t.Name
	}
	mitigations, err := d.Wazuh.MitreMitigationsByID(ctx, mitigationIDs)
	if err != nil {
		return nil, fmt.Errorf("MITRE mitigations: %w", err)
	}
	mitigationNames := map[string]string{}
	for _, m := range mitigations {
		mitigationNames[m.ID] = m.Name
	}
	out := make([]Technique, 0, len(found))
	for _, t := range found {
		out = append(out, Technique{
			ID:          policy.Fence(t.ExternalID, 16),
			Name:        policy.Fence(t.Name, 256),
			Description: policy.Fence(t.Description, descMax),
			Tactics:     namesOf(t.Tactics, tacticNames),
			Platforms:   platformsOf(t.Extra),
			Mitigations: namesOf(t.Mitigations, mitigationNames),
			URL:         policy.Fence(t.URL, 256),
			Deprecated:  t.Deprecated != 0,
		})
	}
	return out, nil
}

// namesOf maps STIX ids to names, keeping ids the database cannot resolve.
func namesOf(ids []string, names map[string]string) []string {
	out := make([]string, 0, len(ids))
	for _, id := range ids {
		out = append(out, policy.Fence(firstNonEmpty(names[id], id), 256))
	}
	return out
}

// platformsOf reads "platforms" when a Manager returns it (the 4.2+ MITRE
// database does not).
func platformsOf(extra wazuh.Extra) []string {
	var p []string
	if raw, ok := extra["platforms"]; ok && json.Unmarshal(raw, &p) == nil {
		return fenceList(p, 64)
	}
	return nil
}

func appendNew(list []string, vs ...string) []string {
	for _, v := range vs {
		dup := false
		for _, have := range list {
			dup = dup || have == v
		}
		if !dup {
			list = append(list, v)
		}
	}
	return list
}

// --- map_alert_to_attack ---

type mapAlertIn struct {
	AlertID args.String `json:"alert_id" jsonschema:"alert id or document _id"`
}

// AlertAttackMap is an alert's ATT&CK mapping.
type AlertAttackMap struct {
	Result
	Alert      AlertRef    `json:"alert"`
	Mapped     bool        `json:"mapped" jsonschema:"false when the rule has no MITRE mapping"`
	Tactics    []string    `json:"tactics" jsonschema:"tactics named by the rule"`
	Techniques []Technique `json:"techniques"`
}

// AlertRef identifies an alert and its rule.
type AlertRef struct {
	ID        string     `json:"id"`
	Timestamp string     `json:"timestamp,omitempty"`
	Rule      AlertRule  `json:"rule"`
	Agent     AlertAgent `json:"agent"`
}

// rawMitreAlert is the part of an alert map_alert_to_attack reads.
type rawMitreAlert struct {
	rawAlert
	Rule struct {
		rawRuleHead
		MITRE struct {
			ID     []string `json:"id"`
			Tactic []string `json:"tactic"`
		} `json:"mitre"`
	} `json:"rule"`
}

type rawRuleHead struct {
	ID          string      `json:"id"`
	Level       json.Number `json:"level"`
	Description string      `json:"description"`
}

// ruleTechniqueIDs returns the distinct valid technique ids of a rule's
// rule.mitre.id, at most maxMappedTechs, noting what it leaves out.
func ruleTechniqueIDs(r *Result, raw []string) []string {
	var ids, beyond []string // beyond: valid ids past the cap, one note for them all
	for _, t := range raw {
		t = strings.ToUpper(strings.TrimSpace(t))
		switch {
		case !mitreIDRe.MatchString(t):
			r.AddNote("skipped rule.mitre.id %q: not an ATT&CK technique id", policy.Fence(t, 32))
		case len(ids) == maxMappedTechs:
			if !slices.Contains(ids, t) {
				beyond = appendNew(beyond, t)
			}
		default:
			ids = appendNew(ids, t)
		}
	}
	if len(beyond) > 0 {
		r.AddNote("only the first %d techniques of the rule were resolved (%d more left out)", maxMappedTechs, len(beyond))
	}
	return ids
}

func (d Deps) mapAlertToAttack(ctx context.Context, in *mapAlertIn) (*AlertAttackMap, error) {
	id, err := alertIDArg(string(in.AlertID))
	if err != nil {
		return nil, err
	}
	h, err := d.Indexer.GetAlert(ctx, id)
	if errors.Is(err, indexer.ErrNotFound) {
		return nil, args.Errorf("alert_id", "no alert with id %q in wazuh-alerts-4.x-*", policy.Fence(id, 128))
	}
	if err != nil {
		return nil, alertError(err)
	}
	var raw rawMitreAlert
	if err := json.Unmarshal(h.Source, &raw); err != nil {
		return nil, fmt.Errorf("alert %s does not decode: %s", policy.Fence(h.ID, 64), policy.Fence(err.Error(), 256))
	}
	r := raw.Rule
	out := &AlertAttackMap{
		Alert: AlertRef{
			ID: firstNonEmpty(policy.Fence(raw.ID, 64), h.ID), Timestamp: policy.Fence(raw.Timestamp, 40),
			Rule:  AlertRule{ID: policy.Fence(r.ID, 16), Level: atoiSafe(r.Level), Description: policy.Fence(r.Description, 512)},
			Agent: AlertAgent{ID: policy.Fence(raw.Agent.ID, 16), Name: policy.Fence(raw.Agent.Name, 128)},
		},
		Tactics:    fenceList(r.MITRE.Tactic, 64),
		Techniques: []Technique{},
	}
	if out.Tactics == nil {
		out.Tactics = []string{}
	}
	ids := ruleTechniqueIDs(&out.Result, r.MITRE.ID)
	if len(ids) == 0 {
		out.AddNote("rule %s has no MITRE ATT&CK mapping: nothing to map (the rule carries no rule.mitre ids)", out.Alert.Rule.ID)
		return out, nil
	}
	out.Mapped = true
	if out.Techniques, err = d.resolveTechniques(ctx, ids, mappedDescMax); err != nil {
		return nil, err
	}
	if len(out.Techniques) < len(ids) {
		out.AddNote("%d of the rule's %d technique ids are not in the Manager's MITRE database", len(ids)-len(out.Techniques), len(ids))
	}
	noteTechniques(&out.Result, out.Techniques)
	out.AddNote("techniques come from the rule's MITRE tags (rule.mitre.id), resolved in the Manager's MITRE database; descriptions truncated to %d bytes", mappedDescMax)
	return out, nil
}
