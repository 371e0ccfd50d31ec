package zendesk

import (
	"encoding/json"
	"fmt"
	"net/http"
	"sort"
	"strings"

	"github.com/frontdeskhq/frontdesk/connectors/internal/retry"
	"github.com/frontdeskhq/frontdesk/sdk/plugin"
)

// APIError is an error the Zendesk API answered with. A 404 unwraps to plugin.ErrNotFound.
type APIError struct {
	// Op says what the connector was doing, such as "update ticket 35436".
	Op       string
	Status   int
	Attempts int
	// Code is Zendesk's error name, such as RecordInvalid or RecordNotFound.
	Code string
	// Description is Zendesk's explanation, with the field details of a validation error.
	Description string
}

// Error says what failed, with the status, the attempts and Zendesk's error.
func (e *APIError) Error() string {
	s := fmt.Sprintf("zendesk: %s: HTTP %d", e.Op, e.Status)
	if e.Attempts > 1 {
		s += fmt.Sprintf(" after %d attempts", e.Attempts)
	}
	if e.Code != "" {
		s += " " + e.Code
	}
	if e.Description != "" {
		s += ": " + e.Description
	}
	return s
}

// Unwrap lets errors.Is(err, plugin.ErrNotFound) see a missing record.
func (e *APIError) Unwrap() error {
	if e.Status == http.StatusNotFound {
		return plugin.ErrNotFound
	}
	return nil
}

// errorBody is the union of the shapes Zendesk answers errors in:
//
//	{"error": "RecordNotFound", "description": "Not found"}
//	{"error": "RecordInvalid", "description": "Record validation errors", "details": {"status": [{"description": "..."}]}}
//	{"error": {"title": "Forbidden", "message": "You do not have access to this page."}}
//	{"errors": [{"code": "...", "title": "...", "detail": "..."}]}
type errorBody struct {
	Error       json.RawMessage `json:"error"`
	Description string          `json:"description"`
	Details     map[string][]struct {
		Description string `json:"description"`
	} `json:"details"`
	Errors []struct {
		Code   string `json:"code"`
		Title  string `json:"title"`
		Detail string `json:"detail"`
	} `json:"errors"`
}

// newAPIError turns a non-2xx answer into an APIError; a body in none of Zendesk's shapes (an
// HTML page from a proxy) is kept as the description.
func newAPIError(op string, resp *retry.Response) *APIError {
	e := &APIError{Op: op, Status: resp.Status, Attempts: resp.Attempts}
	code, desc, ok := decodeError(resp.Body)
	if !ok {
		desc = resp.Snippet()
	}
	e.Code, e.Description = code, desc
	return e
}

// decodeError reads Zendesk's error body into a code and a description.
func decodeError(body []byte) (code, description string, ok bool) {
	var eb errorBody
	if err := json.Unmarshal(body, &eb); err != nil {
		return "", "", false
	}
	var parts []string
	if eb.Description != "" {
		parts = append(parts, eb.Description)
	}
	if len(eb.Error) > 0 {
		var name string
		var titled struct{ Title, Message string }
		switch {
		case json.Unmarshal(eb.Error, &name) == nil:
			code = name
		case json.Unmarshal(eb.Error, &titled) == nil:
			code = titled.Title
			if titled.Message != "" {
				parts = append(parts, titled.Message)
			}
		}
	}
	fields := make([]string, 0, len(eb.Details))
	for f := range eb.Details {
		fields = append(fields, f)
	}
	sort.Strings(fields)
	for _, f := range fields {
		for _, d := range eb.Details[f] {
			parts = append(parts, f+": "+d.Description)
		}
	}
	for _, e := range eb.Errors {
		if code == "" {
			code = e.Code
		}
		parts = append(parts, strings.TrimSpace(e.Title+" "+e.Detail))
	}
	if code == "" && len(parts) == 0 {
		return "", "", false
	}
	return code, strings.Join(parts, "; "), true
}
