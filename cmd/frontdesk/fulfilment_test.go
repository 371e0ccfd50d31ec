package main

import (
	"fmt"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-smtp"

	"github.com/frontdeskhq/frontdesk/channels/email/mime"
	"github.com/frontdeskhq/frontdesk/channels/webchat/webchattest"
)

// TestMailToPendingChangeRequest is the fintech fulfilment flow end to end, every part real:
// a customer mails the development mail server, frontdesk answers with a link, the customer
// opens it in the web chat, confirms, fills the form, enters the code the local SMS outbox
// received, and the change waits for a human: the case in the approvals queue with the whole
// decision log, one pending change request, the address untouched.
func TestMailToPendingChangeRequest(t *testing.T) {
	imapAddr, smtpAddr := freeAddr(t), freeAddr(t)
	base, db := startGateway(t, fmt.Sprintf(`store: { path: %s }
valet: { keys: [%q] }
email: { devmail: { enabled: true, imap: %q, smtp: %q }, link_intents: [change_address] }
`, filepath.Join(t.TempDir(), "frontdesk.db"), testValetKey, imapAddr, smtpAddr))

	link := mailedLink(t, smtpAddr, imapAddr, "ada@example.com", "Hello, I moved last month. Please change my address.")
	c := webchattest.OpenLink(t, base+link)
	webchattest.ChangeAddress(c, func() string { return smsCode(db) })
	checkSubmittedForApproval(t, db)
}

// mailedLink mails text from a customer to the devmail mailbox and returns the chat link
// (path and query) of frontdesk's reply.
func mailedLink(t *testing.T, smtpAddr, imapAddr, from, text string) string {
	t.Helper()
	c, err := smtp.Dial(smtpAddr)
	if err != nil {
		t.Fatal(err)
	}
	mail := fmt.Sprintf("From: <%s>\r\nTo: support@frontdesk.localhost\r\nSubject: Help\r\nMessage-ID: <%d@example.com>\r\n\r\n%s\r\n",
		from, time.Now().UnixNano(), text)
	if err := c.SendMail(from, []string{"support@frontdesk.localhost"}, strings.NewReader(mail)); err != nil {
		t.Fatal(err)
	}
	c.Close()
	var reply string
	for deadline := time.Now().Add(20 * time.Second); reply == "" && time.Now().Before(deadline); {
		time.Sleep(100 * time.Millisecond)
		reply = firstMail(t, imapAddr, from)
	}
	if reply == "" {
		t.Fatalf("no reply reached %s", from)
	}
	m, err := mime.Parse([]byte(reply), mime.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	link := regexp.MustCompile(`/chat\?key=[A-Za-z0-9._%-]+`).FindString(m.FullText)
	if link == "" {
		t.Fatalf("no link in the reply:\n%s", reply)
	}
	return link
}
