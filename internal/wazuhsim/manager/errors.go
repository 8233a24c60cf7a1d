package manager

import (
	"encoding/json"
	"net/http"
)

// problemContentType is what the real API sends with every error.
const problemContentType = "application/problem+json; charset=utf-8"

// docsBase is the documentation root the real 4.14 remediations point to.
const docsBase = "https://documentation.wazuh.com/4.14"

// apiError is an HTTP error answered as problem+json. Field order follows
// the real API: title, detail, remediation, dapi_errors, error.
type apiError struct {
	Status      int                          `json:"-"`
	Title       string                       `json:"title"`
	Detail      string                       `json:"detail,omitempty"`
	Remediation string                       `json:"remediation,omitempty"`
	DapiErrors  map[string]map[string]string `json:"dapi_errors,omitempty"`
	Code        int                          `json:"error,omitempty"`
}

func (e *apiError) Error() string { return e.Title + ": " + e.Detail }

// wazuhError is a framework error (framework/wazuh/core/exception.py): code,
// message, remediation. It becomes either a failed item or a problem.
type wazuhError struct {
	Code        int    `json:"code"`
	Message     string `json:"message"`
	Remediation string `json:"remediation,omitempty"`
}

// The framework errors the stand-in raises, with the real texts
// (framework/wazuh/core/exception.py). They are plain values, read-only:
// with() returns a modified copy.
var (
	errAgentNotFound = wazuhError{1701, "Agent does not exist",
		"Please, use `GET /agents?select=id,name` to find all available agents"}
	errManagerAgent = wazuhError{1703, "Action not available for Manager (agent 000)",
		"Please, use `GET /agents?select=id,name` to find all available agents and make sure you select an agent other than 000"}
	errAgentNotActive = wazuhError{1707, "Cannot send request, agent is not active",
		"Please, check non-active agents connection and try again. Visit " + docsBase + "/user-manual/registering/index.html and " +
			docsBase + "/user-manual/agents/agent-connection.html to obtain more information on registering and connecting agents"}
	errOnlyActive   = wazuhError{1740, "Action only available for active agents", "Please activate the agent to synchronize it"}
	errNoCommand    = wazuhError{1650, "Active response - Command not specified", ""}
	errBadARCommand = wazuhError{1652, "The command used is not defined in the configuration.",
		"Please, visit the official documentation (" + docsBase + "/user-manual/capabilities/active-response/how-to-configure.html)to get more information"}
	errBadSelect = wazuhError{1724, "Not a valid select field", "Please, use only allowed select fields"}
	errBadSort   = wazuhError{1403, "Not a valid sort field ", "Please, use only allowed sort fields"}
	errBadQuery  = wazuhError{1407, "Query does not match expected format", ""}
	errNoField   = wazuhError{1408, "Field does not exist.", ""}
	errBadOp     = wazuhError{1409, "Invalid query operator", ""}
	errBadLevel  = wazuhError{1203, "Error in argument 'level'", "Argument 'level' must be a number or an interval separated by '-'"}
	errTimeframe = wazuhError{1411, "TimeFrame is not valid", ""}
	errRuleFile  = wazuhError{1415, "Rules file not found", "Please, use GET /rules/files to list all available rules"}
	errListFile  = wazuhError{1802, "Lists file not found", "Please, use `GET /lists/files` to find all available lists"}
	errNoStats   = wazuhError{1308, "Stats file does not exist", "Stats files are usually generated at 12 PM on a daily basis"}
	errComponent = wazuhError{1116, "Requested component configuration does not exist",
		"Please, visit the official documentation (" + docsBase + "/user-manual/api/reference.html#operation/api.controllers.agents_controller.get_agent_config) to check available component configurations"}
	errSection = wazuhError{1106, "Requested section not present in configuration",
		"Please, check your configuration file. You can visit the official documentation (" + docsBase + "/user-manual/reference/ossec-conf/index.html) to get more information about configuration sections"}
	errRateLimit = wazuhError{6001, "Maximum number of requests per minute reached",
		"This limit can be changed in api.yaml file. More information here: https://documentation.wazuh.com/4.14/user-manual/api/configuration.html#configuration-file"}
)

// with appends extra context to the message as WazuhException does
// ("<message>: <extra>").
func (e wazuhError) with(extra string) wazuhError {
	if extra != "" {
		e.Message += ": " + extra
	}
	return e
}

// problem turns a framework error into the HTTP problem the API layer
// builds from it (api/api/util.py _create_problem): 400 "Bad Request" for
// WazuhError, 404 "Resource Not Found" for WazuhResourceNotFound.
func (s *Server) problem(status int, e wazuhError) *apiError {
	title := "Bad Request"
	switch status {
	case http.StatusNotFound:
		title = "Resource Not Found"
	case http.StatusTooManyRequests:
		title = "Too Many Requests"
	}
	return &apiError{
		Status: status, Title: title, Detail: e.Message, Remediation: e.Remediation, Code: e.Code,
		DapiErrors: map[string]map[string]string{s.nodeName(): {"error": e.Message}},
	}
}

// badRequest is a connexion validation failure (no Wazuh error code).
func badRequest(detail string) *apiError {
	return &apiError{Status: http.StatusBadRequest, Title: "Bad Request", Detail: detail}
}

// The errors the HTTP layer of the real API writes itself
// (api/api/error_handler.py and the spec's component responses).
func errUnauthorized() *apiError {
	return &apiError{Status: http.StatusUnauthorized, Title: "Unauthorized", Detail: "No authorization token provided"}
}

func errInvalidCredentials() *apiError {
	return &apiError{Status: http.StatusUnauthorized, Title: "Unauthorized", Detail: "Invalid credentials"}
}

func errNotFound() *apiError {
	return &apiError{Status: http.StatusNotFound, Title: "Not Found", Detail: "404: Not Found"}
}

func errMethodNotAllowed() *apiError {
	return &apiError{Status: http.StatusMethodNotAllowed, Title: "Method Not Allowed", Detail: "Specified method is invalid for this resource"}
}

func errTooManyRequests() *apiError {
	return &apiError{Status: http.StatusTooManyRequests, Title: "Too Many Requests",
		Detail: errRateLimit.Message, Remediation: errRateLimit.Remediation, Code: errRateLimit.Code}
}

func errServiceUnavailable() *apiError {
	return &apiError{Status: http.StatusServiceUnavailable, Title: "Service Unavailable", Detail: "503: Service Unavailable"}
}

func errBlockedIP() *apiError {
	return &apiError{Status: http.StatusForbidden, Title: "Permission Denied",
		Detail: "Limit of login attempts reached. The current IP has been blocked due to a high number of login attempts"}
}

// writeProblem writes e as problem+json.
func writeProblem(w http.ResponseWriter, e *apiError) {
	w.Header().Set("Content-Type", problemContentType)
	w.WriteHeader(e.Status)
	_ = json.NewEncoder(w).Encode(e)
}

// writeInjected answers a fault injected by faults.Injector.
func writeInjected(w http.ResponseWriter, status int) {
	if status == http.StatusTooManyRequests {
		writeProblem(w, errTooManyRequests())
		return
	}
	e := errServiceUnavailable()
	e.Status = status
	writeProblem(w, e)
}

// writeJSON writes a 200 (or other) JSON body.
func writeJSON(w http.ResponseWriter, status int, body any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(body)
}
