package manager

import (
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strings"
)

// maxBodySize is api.yaml max_upload_size (1 MiB).
const maxBodySize = 1 << 20

// arBody is the ActiveResponseBody of the spec.
type arBody struct {
	Command   *string         `json:"command"`
	Arguments []string        `json:"arguments"`
	Alert     json.RawMessage `json:"alert"`
}

func arMessages() messages {
	return messages{"AR command was sent to all agents", "AR command was not sent to some agents",
		"AR command was not sent to any agent"}
}

// handleActiveResponse serves PUT /active-response. Each target is checked
// like the framework does (1701 unknown, 1703 manager, 1707 not active;
// 1650 empty command, 1652 command not in ar.conf unless it starts with
// "!") and the request is recorded; each affected agent then "runs" it:
// the alerts its active-responses.log would produce go to
// Options.ARAlerts (ar_alerts.go).
func (s *Server) handleActiveResponse(w http.ResponseWriter, r *http.Request, p params) {
	raw, apiErr := readJSONBody(r)
	if apiErr != nil {
		s.record(r, p, raw, apiErr.Status, nil, nil)
		writeProblem(w, apiErr)
		return
	}
	var body arBody
	if apiErr := decodeARBody(raw, &body, s.formats); apiErr != nil {
		s.record(r, p, raw, apiErr.Status, nil, nil)
		writeProblem(w, apiErr)
		return
	}
	cmdErr, cmdOK := s.checkARCommand(*body.Command)
	res := newResult()
	var affected, failed []string
	for _, id := range s.restartTargets(p) {
		e, ok := s.checkTarget(id)
		if ok && !cmdOK {
			e, ok = cmdErr, false
		}
		if !ok {
			res.fail(id, e)
			failed = append(failed, id)
			continue
		}
		res.affected = append(res.affected, id)
		affected = append(affected, id)
	}
	s.record(r, p, raw, http.StatusOK, affected, failed)
	now := s.opts.Now()
	for _, id := range affected {
		s.arRun.run(id, body, now)
	}
	writeJSON(w, http.StatusOK, res.response(arMessages()))
}

// checkARCommand validates a command against ar.conf.
func (s *Server) checkARCommand(cmd string) (wazuhError, bool) {
	switch {
	case cmd == "" || cmd == "!":
		return errNoCommand, false
	case strings.HasPrefix(cmd, "!"):
		return wazuhError{}, true
	case !s.arCommands[cmd]:
		return errBadARCommand, false
	}
	return wazuhError{}, true
}

// readJSONBody enforces the content type (415) and size limit (413).
func readJSONBody(r *http.Request) ([]byte, *apiError) {
	if ct := r.Header.Get("Content-Type"); ct != "" {
		mt, _, err := mime.ParseMediaType(ct)
		if err != nil || mt != "application/json" {
			return nil, &apiError{Status: http.StatusUnsupportedMediaType, Title: "Unsupported media type",
				Detail: fmt.Sprintf("Invalid Content-type (%s), expected ['application/json']", ct)}
		}
	}
	raw, err := io.ReadAll(io.LimitReader(r.Body, maxBodySize+1))
	if err != nil {
		return nil, badRequest("Error reading body: " + err.Error())
	}
	if len(raw) > maxBodySize {
		return raw[:0], &apiError{Status: http.StatusRequestEntityTooLarge, Title: "Request Entity Too Large",
			Detail: fmt.Sprintf("Maximum request body size %d exceeded, actual body size more than %d", maxBodySize, maxBodySize)}
	}
	return raw, nil
}

// decodeARBody validates the body against ActiveResponseBody.
func decodeARBody(raw []byte, body *arBody, fs formats) *apiError {
	if len(strings.TrimSpace(string(raw))) == 0 {
		return badRequest("Request body must not be empty")
	}
	if err := json.Unmarshal(raw, body); err != nil {
		return badRequest("Request body is not valid JSON: " + err.Error())
	}
	if body.Command == nil {
		return badRequest("'command' is a required property")
	}
	if *body.Command != "" && !fs.valid("active_response_command", *body.Command) {
		return badRequest(fmt.Sprintf("'%s' is not a 'active_response_command'", *body.Command))
	}
	return nil
}

// record keeps a state-changing request for tests and the operator.
func (s *Server) record(r *http.Request, p params, body []byte, status int, affected, failed []string) {
	q := map[string][]string{}
	for k, v := range p.query {
		q[k] = append([]string(nil), v...)
	}
	s.rec.add(RecordedRequest{
		Time: s.opts.Now(), Method: r.Method, Path: r.URL.Path, Query: q, Body: string(body),
		User: p.user, Status: status, Affected: affected, Failed: failed,
	})
}
