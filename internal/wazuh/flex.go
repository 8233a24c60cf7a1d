package wazuh

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
)

// The Wazuh API is not consistent about scalar types across versions and
// endpoints (pid is a string in syscollector processes, agent_id is a number in
// netaddr, ids in failed_items are strings or numbers). These types decode
// either form so a type drift never fails a whole response.

// FlexString decodes a JSON string, number, bool or null into a string.
type FlexString string

// UnmarshalJSON implements json.Unmarshaler.
func (f *FlexString) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	switch {
	case len(b) == 0 || bytes.Equal(b, []byte("null")):
		*f = ""
	case b[0] == '"':
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		*f = FlexString(s)
	case b[0] == '{' || b[0] == '[':
		return fmt.Errorf("wazuh: expected a scalar, got %.20s", b)
	default:
		*f = FlexString(b) // number or bool literal, kept verbatim
	}
	return nil
}

// String returns the value.
func (f FlexString) String() string { return string(f) }

// FlexInt decodes a JSON number, a numeric string, "" or null into an int64.
type FlexInt int64

// UnmarshalJSON implements json.Unmarshaler.
func (f *FlexInt) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) == 0 || bytes.Equal(b, []byte("null")) {
		*f = 0
		return nil
	}
	s := string(b)
	if b[0] == '"' {
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		if s == "" {
			*f = 0
			return nil
		}
	}
	if n, err := strconv.ParseInt(s, 10, 64); err == nil {
		*f = FlexInt(n)
		return nil
	}
	// Some counters are serialised as floats ("4.0").
	x, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return fmt.Errorf("wazuh: expected an integer, got %.20q", s)
	}
	*f = FlexInt(int64(x))
	return nil
}

// Int returns the value as an int.
func (f FlexInt) Int() int { return int(f) }

// FlexStrings decodes a list of scalars, or a single scalar, into []string.
type FlexStrings []string

// UnmarshalJSON implements json.Unmarshaler.
func (f *FlexStrings) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) == 0 || bytes.Equal(b, []byte("null")) {
		*f = nil
		return nil
	}
	if b[0] != '[' {
		var one FlexString
		if err := one.UnmarshalJSON(b); err != nil {
			return err
		}
		*f = FlexStrings{string(one)}
		return nil
	}
	var many []FlexString
	if err := json.Unmarshal(b, &many); err != nil {
		return err
	}
	out := make(FlexStrings, len(many))
	for i, v := range many {
		out[i] = string(v)
	}
	*f = out
	return nil
}
