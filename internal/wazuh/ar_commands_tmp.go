package wazuh

import "context"

// ARCommand is one ar.conf entry (temporary until the stand-in branch lands).
type ARCommand struct {
	Name    string
	Command string
	Timeout int
}

// ARCommands is replaced by the sim branch.
func (c *Client) ARCommands(ctx context.Context) ([]ARCommand, error) {
	return []ARCommand{{"firewall-drop600", "firewall-drop", 600}, {"host-deny600", "host-deny", 600}, {"disable-account600", "disable-account", 600}}, nil
}
