package email

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/frontdeskhq/frontdesk/channels/email/mime"
	"github.com/frontdeskhq/frontdesk/core/session"
)

func TestNoReplyReason(t *testing.T) {
	const self = "support@frontdesk.test"
	ok := func() *mime.Mail { return &mime.Mail{From: mime.Address{Email: "alice@example.com"}} }
	for _, c := range []struct {
		name string
		edit func(m *mime.Mail)
		want string
	}{
		{"a customer", func(*mime.Mail) {}, ""},
		{"auto-submitted no", func(m *mime.Mail) { m.AutoSubmitted = "no" }, ""},
		{"auto-replied", func(m *mime.Mail) { m.AutoSubmitted = "auto-replied" }, "Auto-Submitted"},
		{"auto-generated", func(m *mime.Mail) { m.AutoSubmitted = "auto-generated" }, "Auto-Submitted"},
		{"bulk", func(m *mime.Mail) { m.Precedence = "bulk" }, "Precedence"},
		{"list", func(m *mime.Mail) { m.Precedence = "list" }, "Precedence"},
		{"junk", func(m *mime.Mail) { m.Precedence = "junk" }, "Precedence"},
		{"suppress", func(m *mime.Mail) { m.AutoResponseSuppress = "OOF, AutoReply" }, "X-Auto-Response-Suppress"},
		{"x-loop", func(m *mime.Mail) { m.XLoop = []string{"support@frontdesk.test"} }, "X-Loop"},
		{"x-loop elsewhere", func(m *mime.Mail) { m.XLoop = []string{"other@example.com"} }, ""},
		{"null return path", func(m *mime.Mail) { m.NullReturnPath = true }, "null Return-Path"},
		{"bounce", func(m *mime.Mail) { m.IsDeliveryReport = true }, "delivery status"},
		{"ourselves", func(m *mime.Mail) { m.From.Email = self }, "this mailbox"},
		{"daemon", func(m *mime.Mail) { m.From.Email = "mailer-daemon@mx.example.com" }, "daemon"},
		{"list id", func(m *mime.Mail) { m.ListID = "<news.example.com>" }, "List-Id"},
		{"no sender", func(m *mime.Mail) { m.From.Email = "" }, "no sender"},
	} {
		m := ok()
		c.edit(m)
		got := noReplyReason(m, self)
		if (c.want == "") != (got == "") || !strings.Contains(got, c.want) {
			t.Errorf("%s: noReplyReason = %q, want %q", c.name, got, c.want)
		}
	}
}

func TestThreadingIDs(t *testing.T) {
	id := replyMessageID("CASE-000042", "email:support:x:1", "frontdesk.test")
	if got, ok := caseFromReplyID(id); !ok || got != "CASE-000042" {
		t.Errorf("caseFromReplyID(%q) = %q, %v", id, got, ok)
	}
	if id != replyMessageID("CASE-000042", "email:support:x:1", "frontdesk.test") {
		t.Error("a retried reply changes its Message-ID")
	}
	for _, other := range []string{"", "abc@example.com", "frontdesk.zz.1@x", "frontdesk..1@x", "frontdesk.41"} {
		if c, ok := caseFromReplyID(other); ok {
			t.Errorf("caseFromReplyID(%q) = %q, want none", other, c)
		}
	}
	if s := withCaseToken(withCaseToken("Re: card", "CASE-7"), "CASE-7"); s != "Re: card [#CASE-7]" {
		t.Errorf("withCaseToken twice = %q", s)
	}
	if m := subjectToken.FindStringSubmatch("Re: Re: card [#CASE-7] more"); m == nil || m[1] != "CASE-7" {
		t.Errorf("subject token: %v", m)
	}
}

func TestRateLimitWindow(t *testing.T) {
	ctx := context.Background()
	rl := RateLimit{Sessions: session.NewMemory(), Max: 2, Window: 150 * time.Millisecond}
	var got []bool
	for range 3 {
		ok, err := rl.Allow(ctx, "a@example.com")
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, ok)
	}
	if !got[0] || !got[1] || got[2] {
		t.Errorf("first three replies allowed %v, want [true true false]", got)
	}
	if ok, _ := rl.Allow(ctx, "b@example.com"); !ok {
		t.Error("another sender is limited too")
	}
	time.Sleep(200 * time.Millisecond)
	if ok, _ := rl.Allow(ctx, "a@example.com"); !ok {
		t.Error("the limit outlived its window")
	}
}

func TestTemplates(t *testing.T) {
	tpl, err := CompileTemplates(TemplateConfig{})
	if err != nil {
		t.Fatal(err)
	}
	subject, text, html, err := tpl.Render(LinkData{Name: "Bob <b>", Subject: "Moving", CaseID: "C-1", Link: "https://x/chat?key=a&b", Expires: "soon"})
	if err != nil {
		t.Fatal(err)
	}
	if subject != "Re: Moving" || !strings.Contains(text, "https://x/chat?key=a&b") || !strings.Contains(html, "Bob &lt;b&gt;") || !strings.Contains(html, "key=a&amp;b") {
		t.Errorf("rendered %q\n%s\n%s", subject, text, html)
	}
	for _, bad := range []TemplateConfig{{Text: "{{.Nope}}"}, {HTML: "{{"}, {Subject: "{{end}}"}} {
		if _, err := CompileTemplates(bad); err == nil {
			t.Errorf("CompileTemplates(%+v) accepted a broken template", bad)
		}
	}
}

func TestReplyBytes(t *testing.T) {
	r := Reply{Key: "k", From: "support@frontdesk.test", To: "bob@example.com", ToName: "Bob", Subject: "Re: hi [#C-1]",
		MessageID: "frontdesk.432d31.00@frontdesk.test", InReplyTo: "orig@example.com", References: []string{"orig@example.com"},
		Date: time.Date(2026, 11, 21, 10, 0, 0, 0, time.UTC), Text: "hello", HTML: "<p>hello</p>"}
	raw, err := r.Bytes()
	if err != nil {
		t.Fatal(err)
	}
	m, err := mime.Parse(raw, mime.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	if m.AutoSubmitted != "auto-replied" || len(m.XLoop) != 1 || m.MessageID != r.MessageID || len(m.InReplyTo) != 1 || m.Text != "hello" || m.Subject != r.Subject {
		t.Errorf("reply parsed back as %+v", m)
	}
	if noReplyReason(m, "support@frontdesk.test") == "" {
		t.Error("our own reply would be answered")
	}
	again, _ := r.Bytes()
	if string(again) != string(raw) {
		t.Error("a reply renders differently the second time")
	}
}

func TestXOAuth2(t *testing.T) {
	mech, ir, err := xoauth2{user: "support@example.com", token: "ya29.token"}.Start()
	if err != nil || mech != "XOAUTH2" || string(ir) != "user=support@example.com\x01auth=Bearer ya29.token\x01\x01" {
		t.Errorf("Start() = %q, %q, %v", mech, ir, err)
	}
}
