package salesforce

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"

	"github.com/frontdeskhq/frontdesk/connectors/internal/retry"
	"github.com/frontdeskhq/frontdesk/sdk/plugin"
)

// APIError is an error the Salesforce REST API answered with. A 404 unwraps to
// plugin.ErrNotFound.
type APIError struct {
	// Op says what the connector was doing, such as "update case 500Dn00000AbCdE".
	Op       string
	Status   int
	Attempts int
	Errors   []ErrorItem
}

// ErrorItem is one entry of the error array Salesforce answers a failed request with.
type ErrorItem struct {
	ErrorCode string   `json:"errorCode"`
	Message   string   `json:"message"`
	Fields    []string `json:"fields,omitempty"`
}

// Error says what failed, with the status, the attempts and Salesforce's errors.
func (e *APIError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "salesforce: %s: HTTP %d", e.Op, e.Status)
	if e.Attempts > 1 {
		fmt.Fprintf(&b, " after %d attempts", e.Attempts)
	}
	for i, it := range e.Errors {
		if i > 0 {
			b.WriteString(";")
		}
		fmt.Fprintf(&b, " %s: %s", it.ErrorCode, it.Message)
		if len(it.Fields) > 0 {
			fmt.Fprintf(&b, " (fields %s)", strings.Join(it.Fields, ", "))
		}
	}
	return b.String()
}

// Unwrap lets errors.Is(err, plugin.ErrNotFound) see a missing record.
func (e *APIError) Unwrap() error {
	if e.Status == http.StatusNotFound {
		return plugin.ErrNotFound
	}
	return nil
}

// Has reports whether Salesforce named the error code.
func (e *APIError) Has(code string) bool {
	for _, it := range e.Errors {
		if it.ErrorCode == code {
			return true
		}
	}
	return false
}

// newAPIError turns a non-2xx answer into an APIError. Salesforce answers errors as an array
// of {errorCode, message, fields}; anything else (an HTML page from a proxy, a truncated body)
// is kept as the message so the operator sees what came back.
func newAPIError(op string, resp *retry.Response) *APIError {
	e := &APIError{Op: op, Status: resp.Status, Attempts: resp.Attempts}
	items, err := decodeErrors(resp.Body)
	if err != nil || len(items) == 0 {
		items = []ErrorItem{{ErrorCode: "UNEXPECTED_RESPONSE", Message: resp.Snippet()}}
	}
	e.Errors = items
	return e
}

// decodeErrors reads Salesforce's error array.
func decodeErrors(body []byte) ([]ErrorItem, error) {
	var items []ErrorItem
	if err := json.Unmarshal(body, &items); err != nil {
		return nil, err
	}
	return items, nil
}
