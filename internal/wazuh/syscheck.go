package wazuh

import "context"

// SyscheckFile is an item of GET /syscheck/{agent_id} (FIM database).
type SyscheckFile struct {
	File       string  `json:"file"`
	Type       string  `json:"type"` // file, registry_key, registry_value
	Changes    FlexInt `json:"changes"`
	Date       string  `json:"date"`
	MTime      string  `json:"mtime"`
	Size       FlexInt `json:"size"`
	Perm       string  `json:"perm"`
	UID        string  `json:"uid"`
	GID        string  `json:"gid"`
	UName      string  `json:"uname"`
	GName      string  `json:"gname"`
	Inode      FlexInt `json:"inode"`
	MD5        string  `json:"md5"`
	SHA1       string  `json:"sha1"`
	SHA256     string  `json:"sha256"`
	Attributes string  `json:"attributes"`
	Extra      Extra   `json:"extra,omitempty"`
}

// UnmarshalJSON keeps unknown fields in Extra.
func (f *SyscheckFile) UnmarshalJSON(b []byte) error {
	type plain SyscheckFile
	extra, err := decodeWithExtra(b, (*plain)(f))
	f.Extra = extra
	return err
}

// RootcheckItem is an item of GET /rootcheck/{agent_id}.
type RootcheckItem struct {
	Log       string `json:"log"`
	Status    string `json:"status"` // outstanding, solved
	DateFirst string `json:"date_first"`
	DateLast  string `json:"date_last"`
	PCIDSS    string `json:"pci_dss,omitempty"`
	CIS       string `json:"cis,omitempty"`
	Extra     Extra  `json:"extra,omitempty"`
}

// UnmarshalJSON keeps unknown fields in Extra.
func (r *RootcheckItem) UnmarshalJSON(b []byte) error {
	type plain RootcheckItem
	extra, err := decodeWithExtra(b, (*plain)(r))
	r.Extra = extra
	return err
}

// ScanTimes is the answer of the last_scan endpoints.
type ScanTimes struct {
	Start string `json:"start"`
	End   string `json:"end"`
}

// Syscheck lists the agent's FIM entries (Params: type, hash, file, md5, sha1, sha256, …).
func (c *Client) Syscheck(ctx context.Context, agentID string, opts ListOptions) (Page[SyscheckFile], error) {
	return listAgentPath[SyscheckFile](ctx, c, "/syscheck/{agent_id}", agentID, opts)
}

// SyscheckLastScan returns when the agent's last FIM scan started and ended.
func (c *Client) SyscheckLastScan(ctx context.Context, agentID string) (ScanTimes, error) {
	return first(listAgentPath[ScanTimes](ctx, c, "/syscheck/{agent_id}/last_scan", agentID, ListOptions{}))
}

// Rootcheck lists the agent's rootcheck findings (Params: status, pci_dss, cis).
func (c *Client) Rootcheck(ctx context.Context, agentID string, opts ListOptions) (Page[RootcheckItem], error) {
	return listAgentPath[RootcheckItem](ctx, c, "/rootcheck/{agent_id}", agentID, opts)
}

// RootcheckLastScan returns when the agent's last rootcheck scan started and ended.
func (c *Client) RootcheckLastScan(ctx context.Context, agentID string) (ScanTimes, error) {
	return first(listAgentPath[ScanTimes](ctx, c, "/rootcheck/{agent_id}/last_scan", agentID, ListOptions{}))
}
