package email

import (
	"bytes"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/emersion/go-message"
	"github.com/emersion/go-message/mail"
)

// Reply is one outgoing mail, complete, as it is queued: a retried delivery sends the same
// bytes, with the same Message-ID.
type Reply struct {
	// Key makes the reply idempotent: one mail is sent per key.
	Key        string    `json:"key"`
	From       string    `json:"from"`
	To         string    `json:"to"`
	ToName     string    `json:"to_name,omitempty"`
	Subject    string    `json:"subject"`
	MessageID  string    `json:"message_id"`
	InReplyTo  string    `json:"in_reply_to,omitempty"`
	References []string  `json:"references,omitempty"`
	Date       time.Time `json:"date"`
	Text       string    `json:"text"`
	HTML       string    `json:"html,omitempty"`
}

// Bytes renders the reply as a MIME message: multipart/alternative with text and HTML, marked
// Auto-Submitted: auto-replied (RFC 3834) and X-Loop with our address, so that well-behaved
// responders do not answer it and our own intake recognizes it.
func (r Reply) Bytes() ([]byte, error) {
	var h mail.Header
	h.SetDate(r.Date)
	h.SetAddressList("From", []*mail.Address{{Address: r.From}})
	h.SetAddressList("To", []*mail.Address{{Name: r.ToName, Address: r.To}})
	h.SetSubject(r.Subject)
	h.SetMessageID(r.MessageID)
	if r.InReplyTo != "" {
		h.SetMsgIDList("In-Reply-To", []string{r.InReplyTo})
	}
	if len(r.References) > 0 {
		h.SetMsgIDList("References", r.References)
	}
	h.Set("Auto-Submitted", "auto-replied")
	h.Set("X-Loop", r.From)
	h.Set("X-Auto-Response-Suppress", "All")
	// A boundary drawn from the key, so that every rendering of a reply is the same bytes.
	h.SetContentType("multipart/alternative", map[string]string{"boundary": "fd-" + digest(r.Key)[:28]})
	var buf bytes.Buffer
	w, err := message.CreateWriter(&buf, h.Header)
	if err != nil {
		return nil, err
	}
	parts := []struct{ ct, body string }{{"text/plain", r.Text}, {"text/html", r.HTML}}
	for _, p := range parts {
		if p.body == "" {
			continue
		}
		var ph message.Header
		ph.SetContentType(p.ct, map[string]string{"charset": "utf-8"})
		ph.Set("Content-Transfer-Encoding", "quoted-printable")
		pw, err := w.CreatePart(ph)
		if err != nil {
			return nil, err
		}
		if _, err := io.WriteString(pw, p.body); err != nil {
			return nil, err
		}
		if err := pw.Close(); err != nil {
			return nil, err
		}
	}
	if err := w.Close(); err != nil {
		return nil, fmt.Errorf("reply %s: %w", r.Key, err)
	}
	return buf.Bytes(), nil
}

// domainOf returns the domain of an address, for Message-IDs.
func domainOf(addr string) string {
	if _, d, ok := strings.Cut(addr, "@"); ok && d != "" {
		return d
	}
	return "frontdesk.invalid"
}
