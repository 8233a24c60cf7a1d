package wazuh

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/netip"
	"regexp"
	"slices"
	"strings"
	"unicode"
)

// ActiveResponseCommand is the body of PUT /active-response. The alert is
// built only from typed fields, so caller-supplied maps can never add or
// overwrite keys of the request.
type ActiveResponseCommand struct {
	// Command is an ar.conf command name (e.g. "firewall-drop600") or
	// "!script" to run a script from active-response/bin directly.
	Command   string
	Arguments []string
	Alert     AlertData
}

// AlertData is what stock active-response scripts read from alert.data.
type AlertData struct {
	SrcIP   string // alert.data.srcip (firewall-drop, host-deny, route-null)
	DstUser string // alert.data.dstuser (disable-account)
}

// ErrNoAgents refuses an active response without explicit agents: an empty
// agents_list means every agent to the Wazuh API.
var ErrNoAgents = errors.New("wazuh: active response needs at least one explicit agent id (an empty agents_list would target ALL agents)")

var (
	arCommandRe = regexp.MustCompile(`^!?[A-Za-z0-9_.-]{1,128}$`)
	arUserRe    = regexp.MustCompile(`^[A-Za-z0-9._@-]{1,128}$`)
)

const maxARArgLen = 256

// arBody is the wire form; alert is omitted when empty.
type arBody struct {
	Command   string   `json:"command"`
	Arguments []string `json:"arguments,omitempty"`
	Alert     *arAlert `json:"alert,omitempty"`
}

type arAlert struct {
	Data arAlertData `json:"data"`
}

type arAlertData struct {
	SrcIP   string `json:"srcip,omitempty"`
	DstUser string `json:"dstuser,omitempty"`
}

// body validates cmd and builds the request body.
func (cmd ActiveResponseCommand) body() (arBody, error) {
	if !arCommandRe.MatchString(cmd.Command) || strings.Trim(cmd.Command, "!.") == "" {
		return arBody{}, fmt.Errorf("%w: active response command %q (want a name like firewall-drop600 or !script.sh)", ErrInvalidArgument, cmd.Command)
	}
	for _, a := range cmd.Arguments {
		if len(a) > maxARArgLen || strings.ContainsFunc(a, unicode.IsControl) {
			return arBody{}, fmt.Errorf("%w: active response argument too long or with control characters", ErrInvalidArgument)
		}
	}
	b := arBody{Command: cmd.Command, Arguments: slices.Clone(cmd.Arguments)}
	var d arAlertData
	if cmd.Alert.SrcIP != "" {
		ip, err := netip.ParseAddr(cmd.Alert.SrcIP)
		if err != nil {
			return arBody{}, fmt.Errorf("%w: srcip %q is not an IP address", ErrInvalidArgument, cmd.Alert.SrcIP)
		}
		d.SrcIP = ip.Unmap().String()
	}
	if cmd.Alert.DstUser != "" {
		if !arUserRe.MatchString(cmd.Alert.DstUser) {
			return arBody{}, fmt.Errorf("%w: dstuser %q", ErrInvalidArgument, cmd.Alert.DstUser)
		}
		d.DstUser = cmd.Alert.DstUser
	}
	if d != (arAlertData{}) {
		b.Alert = &arAlert{Data: d}
	}
	return b, nil
}

// ActiveResponseRequest builds the exact PUT /active-response request for
// cmd on agentIDs: ids normalised, sorted and deduplicated, never empty.
func ActiveResponseRequest(agentIDs []string, cmd ActiveResponseCommand) (WriteRequest, error) {
	if len(agentIDs) == 0 {
		return WriteRequest{}, ErrNoAgents
	}
	ids, err := normalizeAgentIDs(agentIDs)
	if err != nil {
		return WriteRequest{}, err
	}
	slices.Sort(ids)
	ids = slices.Compact(ids)
	body, err := cmd.body()
	if err != nil {
		return WriteRequest{}, err
	}
	raw, err := json.Marshal(body)
	if err != nil {
		return WriteRequest{}, fmt.Errorf("wazuh: encoding the active response body: %w", err)
	}
	return WriteRequest{Method: http.MethodPut, Endpoint: "/active-response",
		Query: map[string]string{"agents_list": strings.Join(ids, ",")}, Body: raw}, nil
}

// ActiveResponse runs cmd on the given agents (PUT /active-response). It is
// refused before any request when agentIDs is empty. It is never retried; an
// ambiguous outcome is a *WriteUnknownError; zero affected agents is an error.
func (c *Client) ActiveResponse(ctx context.Context, agentIDs []string, cmd ActiveResponseCommand) (WriteResult, error) {
	req, err := ActiveResponseRequest(agentIDs, cmd)
	if err != nil {
		return WriteResult{}, err
	}
	return c.SendWrite(ctx, req)
}
