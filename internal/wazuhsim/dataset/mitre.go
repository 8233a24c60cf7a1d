package dataset

import (
	"strings"
	"time"

	"github.com/wazuh-mcp/wazuh-mcp/internal/wazuhsim/events"
)

// tacticIDs are the real ATT&CK external ids of the enterprise tactics.
var tacticIDs = map[string]string{
	"Reconnaissance": "TA0043", "Resource Development": "TA0042", "Initial Access": "TA0001", "Execution": "TA0002",
	"Persistence": "TA0003", "Privilege Escalation": "TA0004", "Defense Evasion": "TA0005", "Credential Access": "TA0006",
	"Discovery": "TA0007", "Lateral Movement": "TA0008", "Collection": "TA0009", "Command and Control": "TA0011",
	"Exfiltration": "TA0010", "Impact": "TA0040",
}

// mitreTimes: Wazuh's MITRE database carries ATT&CK's created/modified dates;
// the stand-in uses fixed ones so output does not depend on Now.
var (
	mitreCreated  = time.Date(2017, 5, 31, 21, 31, 0, 0, time.UTC)
	mitreModified = time.Date(2024, 10, 15, 16, 21, 0, 0, time.UTC)
)

func techniqueStixID(extID string) string { return "attack-pattern--" + uuidOf("attack:"+extID) }
func tacticStixID(name string) string     { return "x-mitre-tactic--" + uuidOf("tactic:"+name) }

// buildMitre renders GET /mitre/techniques, /mitre/tactics and
// /mitre/mitigations for the techniques the ruleset references; tactics and
// mitigations are referenced by STIX id, as the real API does, and resolve
// through their lists.
func buildMitre(techs []events.Technique) (techniques, tactics, mitigations []Item) {
	mitigations, mitigationIDs := buildMitigations(techs)
	tacticTechs := map[string][]any{}
	var tacticOrder []string
	for _, t := range techs {
		var tids []any
		for _, tac := range t.Tactics {
			tids = append(tids, tacticStixID(tac))
			if _, ok := tacticTechs[tac]; !ok {
				tacticOrder = append(tacticOrder, tac)
			}
			tacticTechs[tac] = append(tacticTechs[tac], techniqueStixID(t.ID))
		}
		url := "https://attack.mitre.org/techniques/" + strings.ReplaceAll(t.ID, ".", "/")
		techniques = append(techniques, Item{
			"id": techniqueStixID(t.ID), "external_id": t.ID, "name": t.Name, "description": t.Description,
			"mitre_version": "1.6", "mitre_detection": "", "network_requirements": 0, "remote_support": 0,
			"deprecated": 0, "created_time": mitreCreated.Format("2006-01-02T15:04:05.000000Z"),
			"modified_time": mitreModified.Format("2006-01-02T15:04:05.000000Z"), "tactics": tids,
			"mitigations": orEmpty(mitigationIDs[t.ID]), "software": []any{}, "groups": []any{},
			"references": []any{Item{"source": "mitre-attack", "description": nil, "url": url}},
			"source":     "mitre-attack", "url": url,
		})
	}
	sortStrings(tacticOrder)
	for _, tac := range tacticOrder {
		ext := tacticIDs[tac]
		tactics = append(tactics, Item{
			"id": tacticStixID(tac), "external_id": ext, "name": tac, "short_name": strings.ToLower(strings.ReplaceAll(tac, " ", "-")),
			"description": "", "created_time": mitreCreated.Format("2006-01-02T15:04:05.000000Z"),
			"modified_time": mitreModified.Format("2006-01-02T15:04:05.000000Z"), "techniques": tacticTechs[tac],
			"references": []any{}, "url": "https://attack.mitre.org/tactics/" + ext, "source": "mitre-attack",
		})
	}
	return techniques, tactics, mitigations
}

func orEmpty(v []any) []any {
	if v == nil {
		return []any{}
	}
	return v
}
