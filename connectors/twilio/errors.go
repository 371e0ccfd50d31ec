package twilio

import (
	"encoding/json"
	"fmt"

	"github.com/frontdeskhq/frontdesk/connectors/internal/retry"
)

// APIError is an error the Twilio API answered with.
type APIError struct {
	Op       string
	Status   int
	Attempts int
	// Code is Twilio's error code, such as 21211 (invalid To number); 0 when the answer had
	// none. MoreInfo links the code's documentation.
	Code     int
	Message  string
	MoreInfo string
}

// Error says what failed, with the status, the attempts and Twilio's code and message.
func (e *APIError) Error() string {
	s := fmt.Sprintf("twilio: %s: HTTP %d", e.Op, e.Status)
	if e.Attempts > 1 {
		s += fmt.Sprintf(" after %d attempts", e.Attempts)
	}
	if e.Code != 0 {
		s += fmt.Sprintf(" error %d", e.Code)
	}
	s += ": " + e.Message
	if e.MoreInfo != "" {
		s += " (" + e.MoreInfo + ")"
	}
	return s
}

// errorBody is Twilio's error answer: {"code", "message", "more_info", "status"}.
type errorBody struct {
	Code     int    `json:"code"`
	Message  string `json:"message"`
	MoreInfo string `json:"more_info"`
	Status   int    `json:"status"`
}

// newAPIError turns a non-2xx answer into an APIError; a body not in Twilio's shape is kept as
// the message.
func newAPIError(op string, resp *retry.Response) *APIError {
	e := &APIError{Op: op, Status: resp.Status, Attempts: resp.Attempts}
	var eb errorBody
	if json.Unmarshal(resp.Body, &eb) == nil && eb.Message != "" {
		e.Code, e.Message, e.MoreInfo = eb.Code, eb.Message, eb.MoreInfo
	} else {
		e.Message = resp.Snippet()
	}
	return e
}
