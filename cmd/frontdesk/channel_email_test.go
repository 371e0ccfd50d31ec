package main

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"
	"github.com/emersion/go-smtp"

	"github.com/frontdeskhq/frontdesk/channels/email/mime"
	"github.com/frontdeskhq/frontdesk/connectors/local"
)

// freeAddr returns a loopback address with a port nobody listens on.
func freeAddr(t testing.TB) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// TestServeEmailWithDevmail serves the example gateway with email.devmail enabled: a mail
// about a change of address becomes a case with its intent and gets a reply whose link
// opens the web chat.
func TestServeEmailWithDevmail(t *testing.T) {
	testServeEmail(t, fmt.Sprintf("store: { path: %s }\n", filepath.Join(t.TempDir(), "frontdesk.db")))
}

// TestServeEmailOnSharedState does the same on Redis and PostgreSQL: positions, processed ids
// and threads in PostgreSQL, the lease, rate limit and reply queue (Redis Streams) in Redis.
func TestServeEmailOnSharedState(t *testing.T) {
	testServeEmail(t, sharedState(t))
}

func testServeEmail(t *testing.T, state string) {
	imapAddr, smtpAddr := freeAddr(t), freeAddr(t)
	// A mailbox of its own per run: the shared store keeps positions, fencing tokens and
	// handled mails across runs.
	support := fmt.Sprintf("support-%d@frontdesk.localhost", time.Now().UnixNano())
	state += fmt.Sprintf("email: { devmail: { enabled: true, imap: %q, smtp: %q, address: %q }, link_intents: [change_address] }\n",
		imapAddr, smtpAddr, support)
	base, db := startGateway(t, state)

	c, err := smtp.Dial(smtpAddr)
	if err != nil {
		t.Fatal(err)
	}
	mail := "From: Bob <bob@example.com>\r\nTo: " + support + "\r\nSubject: New home\r\nMessage-ID: <serve-1@example.com>\r\n\r\nWe moved, please change my address.\r\n"
	if err := c.SendMail("bob@example.com", []string{support}, strings.NewReader(mail)); err != nil {
		t.Fatal(err)
	}
	c.Close()

	var reply string
	deadline := time.Now().Add(20 * time.Second)
	for reply == "" && time.Now().Before(deadline) {
		time.Sleep(100 * time.Millisecond)
		reply = firstMail(t, imapAddr, "bob@example.com")
	}
	if reply == "" {
		t.Fatal("no reply reached bob@example.com")
	}
	st, err := local.Open(db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	cases, err := st.Cases(context.Background(), 10)
	if err != nil || len(cases) != 1 || cases[0].Intent != "change_address" || !strings.HasPrefix(cases[0].ExternalID, "email:"+support+":") {
		t.Fatalf("cases %+v, %v", cases, err)
	}
	m, err := mime.Parse([]byte(reply), mime.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(m.Subject, "[#"+cases[0].ID+"]") {
		t.Errorf("the reply's subject %q has no case token", m.Subject)
	}
	link := regexp.MustCompile(`/chat\?key=[A-Za-z0-9._%-]+`).FindString(m.FullText)
	if link == "" {
		t.Fatalf("no link in the reply:\n%s", reply)
	}
	resp, err := http.Get(base + link)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("GET %s: %s", link, resp.Status)
	}
}

// firstMail returns the raw first mail in an account's INBOX on the devmail IMAP server.
func firstMail(t *testing.T, addr, user string) string {
	c, err := imapclient.DialInsecure(addr, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if err := c.Login(user, "devmail").Wait(); err != nil {
		t.Fatal(err)
	}
	sel, err := c.Select("INBOX", nil).Wait()
	if err != nil || sel.NumMessages == 0 {
		return ""
	}
	msgs, err := c.Fetch(imap.SeqSetNum(1), &imap.FetchOptions{BodySection: []*imap.FetchItemBodySection{{Peek: true}}}).Collect()
	if err != nil || len(msgs) == 0 || len(msgs[0].BodySection) == 0 {
		return ""
	}
	return string(msgs[0].BodySection[0].Bytes)
}
