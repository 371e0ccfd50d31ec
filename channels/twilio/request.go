package twilio

import (
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
)

// Request is what frontdesk reads of a Programmable Voice webhook: the form Twilio posts on
// an incoming call and after each <Gather>, and the query of the URL frontdesk gave it.
type Request struct {
	CallSid    string
	AccountSid string
	From       string
	To         string
	CallStatus string
	// Digits are the keys pressed, SpeechResult what was said, with its Confidence (0..1).
	Digits       string
	SpeechResult string
	Confidence   float64
	// Params are every posted parameter, for the signature.
	Params url.Values
	// Query parameters frontdesk puts in its own URLs, or the integrator in the number's:
	// Turn counts the call's turns (so no two requests of a call are signed alike), Wait asks
	// for the result of a turn that got a holding answer (Hold counts those); CustomerID and
	// Intent, when the integrator sets them on the number's webhook URL, identify the caller
	// and start a policy.
	Turn       int
	Wait       bool
	Hold       int
	CustomerID string
	Intent     string
}

// ErrNoCall reports a request without a CallSid: not a voice webhook.
var ErrNoCall = errors.New("twilio: not a voice webhook (no CallSid)")

// Decode reads a webhook's form body and its URL's query.
func Decode(body []byte, query string) (Request, error) {
	form, err := url.ParseQuery(string(body))
	if err != nil {
		return Request{}, fmt.Errorf("twilio: the body is not a form: %w", err)
	}
	q, err := url.ParseQuery(query)
	if err != nil {
		return Request{}, fmt.Errorf("twilio: the query is malformed: %w", err)
	}
	r := Request{
		CallSid: form.Get("CallSid"), AccountSid: form.Get("AccountSid"), From: form.Get("From"), To: form.Get("To"),
		CallStatus: form.Get("CallStatus"), Digits: form.Get("Digits"), SpeechResult: strings.TrimSpace(form.Get("SpeechResult")),
		Params: form, Wait: q.Get("wait") == "1",
		CustomerID: q.Get("customer_id"), Intent: q.Get("intent"),
	}
	if r.CallSid == "" {
		return Request{}, ErrNoCall
	}
	if c := form.Get("Confidence"); c != "" {
		if r.Confidence, err = strconv.ParseFloat(c, 64); err != nil {
			return Request{}, fmt.Errorf("twilio: Confidence %q is not a number", c)
		}
	}
	for _, n := range []struct {
		name string
		dst  *int
	}{{"turn", &r.Turn}, {"hold", &r.Hold}} {
		if s := q.Get(n.name); s != "" {
			v, err := strconv.Atoi(s)
			if err != nil || v < 0 {
				return Request{}, fmt.Errorf("twilio: query %s=%q is not a count", n.name, s)
			}
			*n.dst = v
		}
	}
	return r, nil
}
