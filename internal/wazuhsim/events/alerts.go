package events

import "fmt"

// Generate builds the alerts and vulnerability documents described by in.
func Generate(in Input) (Output, error) {
	if in.Alerts < 0 {
		return Output{}, fmt.Errorf("events: negative alert count %d", in.Alerts)
	}
	return Output{}, nil
}
