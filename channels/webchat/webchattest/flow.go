package webchattest

import (
	"regexp"
	"strings"

	"github.com/frontdeskhq/frontdesk/channels/webchat"
)

// Answers are what the change-of-address flow enters.
var Answers = map[string]string{"street": "Torstrasse 1", "city": "Berlin", "postcode": "10119"}

// codePattern finds a one-time code in an SMS.
var codePattern = regexp.MustCompile(`\b\d{6}\b`)

// CodeIn returns the six-digit code in an SMS body, or "".
func CodeIn(sms string) string { return codePattern.FindString(sms) }

// ChangeAddress runs the example change-address policy on an open chat whose first question
// is the confirmation: yes -> the address form -> a wrong code, then the code smsCode reads
// (from the SMS outbox) -> the end with a CSAT rating of 5. It fails the test on any
// unexpected frame.
func ChangeAddress(c *Client, smsCode func() string) {
	t := c.t
	t.Helper()
	q := c.Question()
	if len(q.QuickReplies) == 0 || q.QuickReplies[0].Value != "yes" {
		t.Fatalf("first question %+v, want the confirmation with quick replies", q)
	}
	c.Send(webchat.ClientFrame{Type: webchat.TypeChoice, ID: "confirm", Value: "yes"})
	if q = c.Question(); q.Form == nil || q.Form.Node != "collect" {
		t.Fatalf("after yes: %+v, want the address form", q)
	}
	c.Send(webchat.ClientFrame{Type: webchat.TypeForm, ID: "address", Fields: Answers})
	if q = c.Question(); q.Form == nil || len(q.Form.Fields) != 1 || q.Form.Fields[0].Name != "code" {
		t.Fatalf("after the address: %+v, want the code form", q)
	}
	code := smsCode()
	if len(code) != 6 {
		t.Fatalf("no six-digit code in the SMS outbox (got %q)", code)
	}
	wrong := "000000"
	if code == wrong {
		wrong = "111111"
	}
	c.Send(webchat.ClientFrame{Type: webchat.TypeForm, ID: "code-1", Fields: map[string]string{"code": wrong}})
	if q = c.Question(); q.Form == nil || !strings.Contains(q.Error, "not right") {
		t.Fatalf("after a wrong code: %+v, want the code form again with an error", q)
	}
	c.Send(webchat.ClientFrame{Type: webchat.TypeForm, ID: "code-2", Fields: map[string]string{"code": code}})
	q = c.Question()
	if q.End == nil || q.End.Resolution != "submitted_for_approval" || !q.CSAT {
		t.Fatalf("after the code: %+v, want the end with a CSAT request", q)
	}
	c.Send(webchat.ClientFrame{Type: webchat.TypeCSAT, ID: "rating", Score: 5})
	c.Until(func(f webchat.ServerFrame) bool { return f.Type == webchat.TypeAck && f.ID == "rating" })
}
