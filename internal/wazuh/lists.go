package wazuh

import (
	"context"
	"net/url"
)

// CDBList is an item of GET /lists: a CDB list with its key/value pairs.
type CDBList struct {
	Filename        string        `json:"filename"`
	RelativeDirname string        `json:"relative_dirname"`
	Items           []CDBListPair `json:"items"`
	Extra           Extra         `json:"extra,omitempty"`
}

// CDBListPair is one entry of a CDB list.
type CDBListPair struct {
	Key   string `json:"key"`
	Value string `json:"value"`
}

// UnmarshalJSON keeps unknown fields in Extra.
func (l *CDBList) UnmarshalJSON(b []byte) error {
	type plain CDBList
	extra, err := decodeWithExtra(b, (*plain)(l))
	l.Extra = extra
	return err
}

// Lists returns GET /lists (Params: filename, relative_dirname).
func (c *Client) Lists(ctx context.Context, opts ListOptions) (Page[CDBList], error) {
	return listPath[CDBList](ctx, c, "/lists", nil, opts)
}

// ListFiles returns GET /lists/files.
func (c *Client) ListFiles(ctx context.Context, opts ListOptions) (Page[RulesetFile], error) {
	return listPath[RulesetFile](ctx, c, "/lists/files", nil, opts)
}

// ListFile returns a CDB list file's content as is (raw=true).
func (c *Client) ListFile(ctx context.Context, filename string) ([]byte, error) {
	b, _, err := c.GetRaw(ctx, "/lists/files/{filename}", []string{filename}, url.Values{"raw": {"true"}})
	return b, err
}
