package wazuh

import (
	"context"
	"fmt"
	"net/http"
	"regexp"
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
