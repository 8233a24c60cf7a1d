package wazuh

import (
	"context"
	"encoding/json"
	"net/url"
)

// Rule is an item of GET /rules. Compliance keys follow the real answers
// (pci_dss, nist_800_53); the spec's variant names land in Extra.
type Rule struct {
	ID              FlexInt         `json:"id"`
	Level           FlexInt         `json:"level"`
	Description     string          `json:"description"`
	Groups          []string        `json:"groups"`
	Filename        string          `json:"filename"`
	RelativeDirname string          `json:"relative_dirname"`
	Status          string          `json:"status"`
	Details         json.RawMessage `json:"details,omitempty"`
	PCIDSS          []string        `json:"pci_dss"`
	GPG13           []string        `json:"gpg13"`
	GDPR            []string        `json:"gdpr"`
	HIPAA           []string        `json:"hipaa"`
	NIST80053       []string        `json:"nist_800_53"`
	TSC             []string        `json:"tsc"`
	MITRE           []string        `json:"mitre"`
	Extra           Extra           `json:"extra,omitempty"`
}

// UnmarshalJSON keeps unknown fields in Extra.
func (r *Rule) UnmarshalJSON(b []byte) error {
	type plain Rule
	extra, err := decodeWithExtra(b, (*plain)(r))
	r.Extra = extra
	return err
}

// RulesetFile is an item of GET /rules/files and GET /decoders/files. Some
// versions name the file "file" instead of "filename"; both are read.
type RulesetFile struct {
	Filename        string `json:"filename"`
	RelativeDirname string `json:"relative_dirname"`
	Status          string `json:"status"`
	Extra           Extra  `json:"extra,omitempty"`
}

// UnmarshalJSON keeps unknown fields in Extra and accepts "file" for "filename".
func (f *RulesetFile) UnmarshalJSON(b []byte) error {
	type plain RulesetFile
	extra, err := decodeWithExtra(b, (*plain)(f))
	if err != nil {
		return err
	}
	if raw, ok := extra["file"]; ok && f.Filename == "" && json.Unmarshal(raw, &f.Filename) == nil {
		delete(extra, "file")
	}
	if len(extra) > 0 {
		f.Extra = extra
	}
	return nil
}

// Decoder is an item of GET /decoders.
type Decoder struct {
	Name            string          `json:"name"`
	Position        FlexInt         `json:"position"`
	Filename        string          `json:"filename"`
	RelativeDirname string          `json:"relative_dirname"`
	Status          string          `json:"status"`
	Details         json.RawMessage `json:"details,omitempty"`
	Extra           Extra           `json:"extra,omitempty"`
}

// UnmarshalJSON keeps unknown fields in Extra.
func (d *Decoder) UnmarshalJSON(b []byte) error {
	type plain Decoder
	extra, err := decodeWithExtra(b, (*plain)(d))
	d.Extra = extra
	return err
}

// Rules lists rules (Params: rule_ids, status, group, level "3-10", filename,
// relative_dirname, pci_dss, gdpr, gpg13, hipaa, nist-800-53, tsc, mitre).
func (c *Client) Rules(ctx context.Context, opts ListOptions) (Page[Rule], error) {
	return listPath[Rule](ctx, c, "/rules", nil, opts)
}

// RuleGroups lists the rule group names.
func (c *Client) RuleGroups(ctx context.Context, opts ListOptions) (Page[string], error) {
	return listPath[string](ctx, c, "/rules/groups", nil, opts)
}

// RuleFiles lists rule files.
func (c *Client) RuleFiles(ctx context.Context, opts ListOptions) (Page[RulesetFile], error) {
	return listPath[RulesetFile](ctx, c, "/rules/files", nil, opts)
}

// RuleFile returns a rule file's XML content as is (raw=true).
func (c *Client) RuleFile(ctx context.Context, filename string) ([]byte, error) {
	b, _, err := c.GetRaw(ctx, "/rules/files/{filename}", []string{filename}, url.Values{"raw": {"true"}})
	return b, err
}

// Decoders lists decoders (Params: decoder_names, filename, relative_dirname, status).
func (c *Client) Decoders(ctx context.Context, opts ListOptions) (Page[Decoder], error) {
	return listPath[Decoder](ctx, c, "/decoders", nil, opts)
}

// DecoderFiles lists decoder files.
func (c *Client) DecoderFiles(ctx context.Context, opts ListOptions) (Page[RulesetFile], error) {
	return listPath[RulesetFile](ctx, c, "/decoders/files", nil, opts)
}
