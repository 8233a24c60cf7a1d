package wazuh

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
)

// MitreTechnique is an item of GET /mitre/techniques.
type MitreTechnique struct {
	ID          string           `json:"id"`          // attack-pattern--…
	ExternalID  string           `json:"external_id"` // T1110, T1110.001
	Name        string           `json:"name"`
	Description string           `json:"description"`
	Detection   string           `json:"mitre_detection"`
	URL         string           `json:"url"`
	Source      string           `json:"source"`
	Version     string           `json:"mitre_version"`
	Deprecated  FlexInt          `json:"deprecated"`
	Tactics     []string         `json:"tactics"`
	Mitigations []string         `json:"mitigations"`
	Software    []string         `json:"software"`
	Groups      []string         `json:"groups"`
	References  []MitreReference `json:"references"`
	Created     string           `json:"created_time"`
	Modified    string           `json:"modified_time"`
	Extra       Extra            `json:"extra,omitempty"`
}

// MitreReference is one reference of a MITRE object.
type MitreReference struct {
	Source      string `json:"source"`
	Description string `json:"description"`
	URL         string `json:"url"`
}

// UnmarshalJSON keeps unknown fields in Extra.
func (t *MitreTechnique) UnmarshalJSON(b []byte) error {
	type plain MitreTechnique
	extra, err := decodeWithExtra(b, (*plain)(t))
	t.Extra = extra
	return err
}

// MitreTechniques lists techniques (Params: technique_ids with attack-pattern ids).
func (c *Client) MitreTechniques(ctx context.Context, opts ListOptions) (Page[MitreTechnique], error) {
	return listPath[MitreTechnique](ctx, c, "/mitre/techniques", nil, opts)
}

var mitreExternalRe = regexp.MustCompile(`^T\d{4}(\.\d{3})?$`)

// MitreTechniqueByExternalID returns the technique with an ATT&CK id such as "T1110.001".
func (c *Client) MitreTechniqueByExternalID(ctx context.Context, externalID string) (MitreTechnique, error) {
	if !mitreExternalRe.MatchString(externalID) {
		return MitreTechnique{}, fmt.Errorf("%w: MITRE technique id %q must look like T1110 or T1110.001", ErrInvalidArgument, externalID)
	}
	p, err := c.MitreTechniques(ctx, ListOptions{Q: Eq("external_id", externalID), Limit: 1})
	if err != nil {
		return MitreTechnique{}, err
	}
	if len(p.Items) == 0 {
		return MitreTechnique{}, &APIError{HTTPStatus: http.StatusNotFound, Title: "Not Found", Method: http.MethodGet,
			Endpoint: "/mitre/techniques", Detail: "no MITRE technique " + externalID}
	}
	return p.Items[0], nil
}

// MitreTactic is an item of GET /mitre/tactics.
type MitreTactic struct {
	ID          string           `json:"id"`          // x-mitre-tactic--…
	ExternalID  string           `json:"external_id"` // TA0006
	Name        string           `json:"name"`
	ShortName   string           `json:"short_name"`
	Description string           `json:"description"`
	URL         string           `json:"url"`
	Source      string           `json:"source"`
	Techniques  []string         `json:"techniques"`
	References  []MitreReference `json:"references"`
	Created     string           `json:"created_time"`
	Modified    string           `json:"modified_time"`
	Extra       Extra            `json:"extra,omitempty"`
}

// UnmarshalJSON keeps unknown fields in Extra.
func (t *MitreTactic) UnmarshalJSON(b []byte) error {
	type plain MitreTactic
	extra, err := decodeWithExtra(b, (*plain)(t))
	t.Extra = extra
	return err
}

// MitreMitigation is an item of GET /mitre/mitigations.
type MitreMitigation struct {
	ID          string           `json:"id"`          // course-of-action--…
	ExternalID  string           `json:"external_id"` // M1032
	Name        string           `json:"name"`
	Description string           `json:"description"`
	URL         string           `json:"url"`
	Source      string           `json:"source"`
	Version     string           `json:"mitre_version"`
	Deprecated  FlexInt          `json:"deprecated"`
	Techniques  []string         `json:"techniques"`
	References  []MitreReference `json:"references"`
	Created     string           `json:"created_time"`
	Modified    string           `json:"modified_time"`
	Extra       Extra            `json:"extra,omitempty"`
}

// UnmarshalJSON keeps unknown fields in Extra.
func (m *MitreMitigation) UnmarshalJSON(b []byte) error {
	type plain MitreMitigation
	extra, err := decodeWithExtra(b, (*plain)(m))
	m.Extra = extra
	return err
}

// MitreTactics lists tactics (Params: tactic_ids with x-mitre-tactic ids).
func (c *Client) MitreTactics(ctx context.Context, opts ListOptions) (Page[MitreTactic], error) {
	return listPath[MitreTactic](ctx, c, "/mitre/tactics", nil, opts)
}

// MitreMitigations lists mitigations (Params: mitigation_ids with course-of-action ids).
func (c *Client) MitreMitigations(ctx context.Context, opts ListOptions) (Page[MitreMitigation], error) {
	return listPath[MitreMitigation](ctx, c, "/mitre/mitigations", nil, opts)
}

// maxMitreIDs bounds one id-list lookup; a technique has a few tactics and
// at most a few dozen mitigations.
const maxMitreIDs = 100

var (
	tacticStixRe     = regexp.MustCompile(`^x-mitre-tactic--[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`)
	mitigationStixRe = regexp.MustCompile(`^course-of-action--[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`)
)

// MitreTacticsByID returns the tactics with these STIX ids (as techniques
// reference them), in the Manager's order. Unknown ids are left out.
func (c *Client) MitreTacticsByID(ctx context.Context, ids []string) ([]MitreTactic, error) {
	return mitreByID[MitreTactic](ctx, c, "/mitre/tactics", "tactic_ids", ids, tacticStixRe)
}

// MitreMitigationsByID returns the mitigations with these STIX ids (as
// techniques reference them). Unknown ids are left out.
func (c *Client) MitreMitigationsByID(ctx context.Context, ids []string) ([]MitreMitigation, error) {
	return mitreByID[MitreMitigation](ctx, c, "/mitre/mitigations", "mitigation_ids", ids, mitigationStixRe)
}

// mitreByID lists the items of a MITRE endpoint with the given STIX ids;
// none for no ids.
func mitreByID[T any](ctx context.Context, c *Client, endpoint, param string, ids []string, re *regexp.Regexp) ([]T, error) {
	q, err := mitreIDParams(param, ids, re)
	if err != nil || q == nil {
		return nil, err
	}
	p, err := listPath[T](ctx, c, endpoint, nil, ListOptions{Params: q, Limit: len(ids)})
	return p.Items, err
}

// mitreIDParams validates STIX ids and renders them as one comma-separated
// parameter; nil when there are none.
func mitreIDParams(param string, ids []string, re *regexp.Regexp) (url.Values, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	if len(ids) > maxMitreIDs {
		return nil, fmt.Errorf("%w: %d MITRE ids, at most %d", ErrInvalidArgument, len(ids), maxMitreIDs)
	}
	for _, id := range ids {
		if !re.MatchString(id) {
			return nil, fmt.Errorf("%w: %s value %q is not a MITRE STIX id", ErrInvalidArgument, param, id)
		}
	}
	return url.Values{param: {strings.Join(ids, ",")}}, nil
}
