// Package mime turns a raw email into what frontdesk needs from it: the headers that identify,
// thread and classify it (Message-ID, In-Reply-To, References, loop and bounce markers), the
// customer's text with HTML made readable and quoted history and signatures stripped, and
// attachment metadata. It is built on go-message with its charset support, caps every size,
// and never fails on a malformed mail: it keeps what it could read and says what it could not.
package mime

import (
	"bytes"
	"errors"
	"io"
	"mime"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/emersion/go-message"
	_ "github.com/emersion/go-message/charset" // registers the legacy charsets (ISO-8859-*, Windows-125*, Shift_JIS, ...)
	"github.com/emersion/go-message/mail"

	fdmessage "github.com/frontdeskhq/frontdesk/core/message"
)

// Limits cap what Parse reads. Zero fields take the defaults.
type Limits struct {
	// MaxBytes is the most of the raw mail read (default 25 MiB); the rest is ignored.
	MaxBytes int64
	// MaxTextBytes caps the extracted text (default 32 KiB), before cleaning.
	MaxTextBytes int
	// MaxParts caps the MIME parts walked (default 200).
	MaxParts int
}

// Defaults of Limits.
const (
	DefaultMaxBytes     = 25 << 20
	DefaultMaxTextBytes = 32 << 10
	DefaultMaxParts     = 200
)

func (l Limits) withDefaults() Limits {
	if l.MaxBytes <= 0 {
		l.MaxBytes = DefaultMaxBytes
	}
	if l.MaxTextBytes <= 0 {
		l.MaxTextBytes = DefaultMaxTextBytes
	}
	if l.MaxParts <= 0 {
		l.MaxParts = DefaultMaxParts
	}
	return l
}

// Mail is a parsed email.
type Mail struct {
	// MessageID is the Message-ID without angle brackets; empty when the mail has none.
	MessageID  string
	InReplyTo  []string
	References []string
	// ReportedIDs are the Message-IDs of the mails a delivery report (bounce) is about.
	ReportedIDs []string
	From        Address
	// ReplyTo is where the author wants answers, when it differs from From.
	ReplyTo Address
	To      []Address
	Subject string
	Date    time.Time
	// ReturnPath is the Return-Path header as written; NullReturnPath is set for "<>".
	ReturnPath     string
	NullReturnPath bool
	// Loop and auto-reply markers (RFC 3834 and common practice), as written.
	AutoSubmitted        string
	Precedence           string
	AutoResponseSuppress string
	XLoop                []string
	ListID               string
	IsDeliveryReport     bool
	// Text is the customer's own words: the plain-text part (or the HTML one made readable),
	// quoted history and signature stripped, valid UTF-8.
	Text string
	// FullText is the text before stripping, for the case description.
	FullText    string
	Attachments []fdmessage.Attachment
	// Problems lists what could not be read (an unknown charset, a broken part); the rest of
	// the mail was still used.
	Problems []string
}

// Address is a mailbox: a display name and an address in lower case.
type Address struct {
	Name  string
	Email string
}

// ErrEmpty is returned for an empty input, the one thing Parse cannot make a mail of.
var ErrEmpty = errors.New("mime: empty mail")

// Parse reads a raw mail. It returns an error only for empty input; everything else that is
// wrong is listed in Mail.Problems.
func Parse(raw []byte, lim Limits) (*Mail, error) {
	lim = lim.withDefaults()
	if len(bytes.TrimSpace(raw)) == 0 {
		return nil, ErrEmpty
	}
	if int64(len(raw)) > lim.MaxBytes {
		raw = raw[:lim.MaxBytes]
	}
	m := &Mail{}
	e, err := message.Read(bytes.NewReader(raw))
	if err != nil && e == nil {
		// Not even a header: keep the bytes as text so that nothing the customer wrote is lost.
		m.problem("header unreadable: " + err.Error())
		m.setText(string(raw), lim)
		return m, nil
	}
	if err != nil {
		m.problem(err.Error())
	}
	m.readHeader(mail.Header{Header: e.Header})
	w := &walker{m: m, lim: lim}
	w.walk(e, 0)
	text := w.plain.String()
	if strings.TrimSpace(text) == "" {
		text = HTMLToText(w.html.String())
	}
	m.setText(text, lim)
	return m, nil
}

func (m *Mail) problem(p string) { m.Problems = append(m.Problems, p) }

// setText stores the full and the cleaned text, capped and made valid UTF-8.
func (m *Mail) setText(text string, lim Limits) {
	text = strings.ToValidUTF8(text, "\uFFFD")
	text = strings.ReplaceAll(text, "\r\n", "\n")
	if len(text) > lim.MaxTextBytes {
		text = text[:lim.MaxTextBytes]
		for !utf8.ValidString(text) {
			text = text[:len(text)-1]
		}
		m.problem("text truncated")
	}
	m.FullText = strings.TrimSpace(text)
	m.Text = StripQuotes(m.FullText)
}

// readHeader takes the identifying and loop-relevant fields of the top-level header.
func (m *Mail) readHeader(h mail.Header) {
	m.MessageID = msgID(h.Get("Message-Id"))
	m.InReplyTo = msgIDs(h.Get("In-Reply-To"))
	m.References = msgIDs(h.Get("References"))
	if s, err := h.Subject(); err == nil {
		m.Subject = s
	} else {
		m.Subject = h.Get("Subject")
		m.problem("subject: " + err.Error())
	}
	m.Subject = strings.ToValidUTF8(strings.TrimSpace(m.Subject), "\uFFFD")
	if d, err := h.Date(); err == nil {
		m.Date = d
	}
	if from, err := h.AddressList("From"); err == nil && len(from) > 0 {
		m.From = Address{Name: from[0].Name, Email: strings.ToLower(from[0].Address)}
	} else if raw := h.Get("From"); raw != "" {
		m.From = Address{Email: strings.ToLower(strings.Trim(lastField(raw), "<>\" "))}
		m.problem("from address unreadable")
	}
	if rt, err := h.AddressList("Reply-To"); err == nil && len(rt) > 0 {
		m.ReplyTo = Address{Name: rt[0].Name, Email: strings.ToLower(rt[0].Address)}
	}
	if to, err := h.AddressList("To"); err == nil {
		for _, a := range to {
			m.To = append(m.To, Address{Name: a.Name, Email: strings.ToLower(a.Address)})
		}
	}
	m.ReturnPath = strings.TrimSpace(h.Get("Return-Path"))
	m.NullReturnPath = h.Has("Return-Path") && strings.Trim(m.ReturnPath, "<> ") == ""
	m.AutoSubmitted = strings.ToLower(strings.TrimSpace(h.Get("Auto-Submitted")))
	m.Precedence = strings.ToLower(strings.TrimSpace(h.Get("Precedence")))
	m.AutoResponseSuppress = strings.TrimSpace(h.Get("X-Auto-Response-Suppress"))
	for _, v := range h.Values("X-Loop") {
		m.XLoop = append(m.XLoop, strings.ToLower(strings.TrimSpace(v)))
	}
	m.ListID = strings.TrimSpace(h.Get("List-Id"))
}

func lastField(s string) string {
	f := strings.Fields(s)
	if len(f) == 0 {
		return ""
	}
	return f[len(f)-1]
}

// msgID returns one message id without brackets and white space, however it was written.
func msgID(s string) string {
	ids := msgIDs(s)
	if len(ids) == 0 {
		return ""
	}
	return ids[0]
}

// msgIDs splits a list of message ids; it is lenient, as mailers write them loosely.
func msgIDs(s string) []string {
	var ids []string
	for _, f := range strings.FieldsFunc(s, func(r rune) bool { return r == ' ' || r == '\t' || r == ',' || r == '\r' || r == '\n' || r == '>' }) {
		f = strings.TrimLeft(f, "<")
		if f != "" && len(f) <= 998 && utf8.ValidString(f) {
			ids = append(ids, f)
		}
	}
	return ids
}

// walker collects the text parts and attachment metadata of an entity tree.
type walker struct {
	m     *Mail
	lim   Limits
	parts int
	plain strings.Builder
	html  strings.Builder
}

func (w *walker) walk(e *message.Entity, depth int) {
	w.parts++
	if w.parts > w.lim.MaxParts || depth > 20 {
		if w.parts == w.lim.MaxParts+1 {
			w.m.problem("too many parts: the rest is ignored")
		}
		return
	}
	ct, params, err := e.Header.ContentType()
	if err != nil {
		ct = "text/plain"
	}
	if mr := e.MultipartReader(); mr != nil {
		if ct == "multipart/report" && strings.EqualFold(params["report-type"], "delivery-status") {
			w.m.IsDeliveryReport = true
		}
		for {
			p, err := mr.NextPart()
			if err == io.EOF {
				return
			}
			if err != nil {
				w.m.problem("part: " + err.Error())
				// A part in an unknown charset is still read, as bytes.
				if p == nil || !message.IsUnknownCharset(err) {
					return
				}
			}
			w.walk(p, depth+1)
		}
	}
	disp, dparams, _ := e.Header.ContentDisposition()
	name := dparams["filename"]
	if name == "" {
		name = params["name"]
	}
	if dec, err := (&mime.WordDecoder{}).DecodeHeader(name); err == nil {
		name = dec
	}
	switch {
	case ct == "message/delivery-status":
		w.m.IsDeliveryReport = true
		_, _ = io.Copy(io.Discard, e.Body)
	case ct == "message/rfc822" || ct == "text/rfc822-headers" || ct == "message/rfc822-headers":
		// The original of a bounce: only its Message-ID matters, for threading.
		if inner, err := message.Read(io.LimitReader(e.Body, 64<<10)); inner != nil {
			if id := msgID(inner.Header.Get("Message-Id")); id != "" {
				w.m.ReportedIDs = append(w.m.ReportedIDs, id)
			}
		} else if err != nil {
			w.m.problem("reported message: " + err.Error())
		}
	case disp != "attachment" && name == "" && (ct == "text/plain" || ct == "text/html"):
		w.text(e, ct)
	default:
		n, _ := io.Copy(io.Discard, e.Body)
		w.m.Attachments = append(w.m.Attachments, fdmessage.Attachment{
			Name: strings.ToValidUTF8(name, "\uFFFD"), ContentType: ct, Size: n})
	}
}

// text reads a text part up to the cap; a part with an unknown charset is read as is.
func (w *walker) text(e *message.Entity, ct string) {
	dst := &w.plain
	if ct == "text/html" {
		dst = &w.html
	}
	room := int64(w.lim.MaxTextBytes*4 - dst.Len())
	if room <= 0 {
		_, _ = io.Copy(io.Discard, e.Body)
		return
	}
	if dst.Len() > 0 {
		dst.WriteString("\n\n")
	}
	if _, err := io.Copy(dst, io.LimitReader(e.Body, room)); err != nil {
		w.m.problem(ct + " part: " + err.Error())
	}
	_, _ = io.Copy(io.Discard, e.Body)
}
