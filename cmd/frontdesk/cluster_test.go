package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/emersion/go-smtp"
	"github.com/jackc/pgx/v5"

	"github.com/frontdeskhq/frontdesk/channels/email/devmail"
	"github.com/frontdeskhq/frontdesk/connectors/local"
	"github.com/frontdeskhq/frontdesk/core/store/testservers"
	"github.com/frontdeskhq/frontdesk/internal/repotest"
)

// The multi-instance fault test: three frontdesk processes share a Redis server and a
// PostgreSQL database; mails arrive through the development mail server and chat
// conversations through the API, spread over the instances; during the run one instance is
// killed with SIGKILL and restarted, Redis is restarted, and another instance is killed and
// restarted. Every mail must yield exactly one case, every conversation must complete, and
// nothing may be duplicated.
const (
	clusterMails         = 2000
	clusterConversations = 2000
	clusterInstances     = 3
	clusterMailbox       = "support@frontdesk.localhost"
)

// faultTestConfig is the fault test's configuration beside the shared state: the example
// policies on the local plugin, keyword rules, and a mailbox on the development mail server
// whose lease a dead poller keeps for 3 s.
func faultTestConfig(t *testing.T, mail *devmail.Server) string {
	root := repotest.Root(t)
	imapHost, imapPort := splitHostPort(mail.IMAPAddr())
	smtpHost, smtpPort := splitHostPort(mail.SMTPAddr())
	return fmt.Sprintf(`
policies: { dir: %s }
intents:
  keywords: { change_address: [address, moved], card_lost_stolen: [lost my card, stolen], cancellation_fee_dispute: [cancellation fee] }
routing: { default_team: general-support, teams: { cards: [card_lost_stolen] } }
plugins:
  - { name: crm, command: frontdesk-local }
  - { name: backoffice, command: frontdesk-local }
  - { name: sms, command: frontdesk-local }
services: { crm: crm, messaging: sms }
executors: { manifest: %s }
email:
  mailboxes:
    - { name: support, address: %s, host: %s, port: %d, security: none, user: %s, password: devmail, poll_interval: 200ms, lease_ttl: 3s }
  smtp: { host: %s, port: %d, security: none }
  link_intents: [change_address]
  rate_limit: { max: 1000, window: 1h }
`, filepath.Join(root, "examples", "policies"), buildExecutors(t),
		clusterMailbox, imapHost, imapPort, clusterMailbox, smtpHost, smtpPort)
}

func TestThreeInstancesSurviveKills(t *testing.T) {
	if testing.Short() {
		t.Skip("the multi-instance fault test takes about a minute")
	}
	pgURL := clusterDatabase(t)
	redisSrv := testservers.StartRedis(t, "--appendonly", "yes", "--appendfsync", "always")
	mail := devmail.New(devmail.Options{})
	if err := mail.Start("127.0.0.1:0", "127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { mail.Close() })
	mail.User(clusterMailbox)
	c := newCluster(t, clusterInstances, sharedConfig(redisSrv.Addr(), pgURL)+faultTestConfig(t, mail)+clusterChatConfig())
	for i := range clusterInstances {
		c.start(i)
		if i == 0 {
			// The first instance takes the mailbox's lease, so the first kill hits the poller.
			time.Sleep(500 * time.Millisecond)
		}
	}

	var finished atomic.Int32
	mailDone := make(chan error, 1)
	go func() { mailDone <- c.sendMails(mail.SMTPAddr(), clusterMails, &finished) }()
	faults := []struct {
		at   int32
		what string
		do   func()
	}{
		{clusterConversations / 4, "SIGKILL instance 0 (the mailbox's first poller) and restart it", func() { c.kill(0); c.start(0) }},
		{clusterConversations / 2, "restart Redis", func() { redisSrv.Kill(); time.Sleep(200 * time.Millisecond); redisSrv.Start() }},
		{3 * clusterConversations / 4, "SIGKILL instance 1 and restart it", func() { c.kill(1); c.start(1) }},
	}
	faultsDone := make(chan struct{})
	go func() {
		defer close(faultsDone)
		for _, f := range faults {
			for finished.Load() < f.at && !t.Failed() {
				time.Sleep(20 * time.Millisecond)
			}
			t.Logf("at %d conversations: %s", finished.Load(), f.what)
			f.do()
		}
	}()

	c.converse(clusterConversations, &finished)
	<-faultsDone
	if err := <-mailDone; err != nil {
		t.Fatalf("sending mails: %v", err)
	}
	c.checkCases()
	c.checkTakeover()
}

// checkTakeover checks that the mailbox was polled by more than one process: the kill of the
// first poller handed its lease to another. Each start of an instance is a process of its
// own, marked in the instance's log.
func (c *cluster) checkTakeover() {
	pollers := 0
	for i := range clusterInstances {
		out, _ := os.ReadFile(c.logFile(i))
		for _, run := range bytes.Split(out, []byte(startMark)) {
			if bytes.Contains(run, []byte(`msg="mail handled"`)) {
				pollers++
			}
		}
	}
	if pollers < 2 {
		c.t.Errorf("mail was handled by %d process(es): the mailbox was not taken over after the kill", pollers)
	}
}

// sendMails sends n mails through the development mail server's SMTP port: a lost card
// (routed to the cards team) and an address change (answered with a link), alternately. Mail
// i waits for i*clusterConversations/n finished conversations, so mail arrives throughout
// the run and its faults.
func (c *cluster) sendMails(smtpAddr string, n int, finished *atomic.Int32) error {
	client, err := smtp.Dial(smtpAddr)
	if err != nil {
		return err
	}
	defer client.Close()
	for i := range n {
		for int(finished.Load()) < i*clusterConversations/n && !c.t.Failed() {
			time.Sleep(5 * time.Millisecond)
		}
		text := "I lost my card yesterday, please block it."
		if i%2 == 1 {
			text = "I moved last week, please change my address."
		}
		from := fmt.Sprintf("customer%d@example.com", i)
		raw := fmt.Sprintf("From: <%s>\r\nTo: <%s>\r\nSubject: Mail %d\r\nMessage-ID: <cluster-%d@example.com>\r\n"+
			"Date: %s\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n%s\r\n",
			from, clusterMailbox, i, i, time.Now().Format(time.RFC1123Z), text)
		if err := client.SendMail(from, []string{clusterMailbox}, strings.NewReader(raw)); err != nil {
			return fmt.Errorf("mail %d: %w", i, err)
		}
	}
	return client.Quit()
}

// converse runs n card-lost conversations of three turns each: half over the web chat socket
// (socketConversation), half through the JSON API with every turn on a random live instance,
// where a turn that fails (its instance died, Redis restarts) is sent again with the same
// message id to another instance.
func (c *cluster) converse(n int, finished *atomic.Int32) {
	var next atomic.Int32
	var wg sync.WaitGroup
	for range 12 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1)) - 1
				if i >= n || c.t.Failed() {
					return
				}
				if i%2 == 0 {
					if end, err := c.socketConversation(i); err != nil || end != "card_reported" {
						c.t.Errorf("web chat %d: ended %q, %v", i, end, err)
					}
				} else {
					c.conversation(i)
				}
				finished.Add(1)
			}
		}()
	}
	wg.Wait()
}

func (c *cluster) conversation(i int) {
	conv := fmt.Sprintf("chat-%d", i)
	// want is the node asking next, or the resolution of the end.
	turns := []struct{ body, want string }{
		{fmt.Sprintf(`{"id":"%s-1","conversation_id":"%s","text":"I lost my card","contact":{"customer_id":"C-100%d"}}`, conv, conv, 1+i%5), "what_happened"},
		{fmt.Sprintf(`{"id":"%s-2","conversation_id":"%s","input":{"choice":"lost"}}`, conv, conv), "replace"},
		{fmt.Sprintf(`{"id":"%s-3","conversation_id":"%s","input":{"choice":"no"}}`, conv, conv), "card_reported"},
	}
	for _, turn := range turns {
		reply := c.turn(turn.body)
		if reply == nil {
			return
		}
		got, _ := reply["node"].(string)
		if end, ok := reply["end"].(map[string]any); ok {
			got, _ = end["resolution"].(string)
		}
		if got != turn.want {
			c.t.Errorf("%s: reply %v, want %s", conv, reply, turn.want)
			return
		}
	}
}

// turn sends one message until an instance answers it, and returns the last reply.
func (c *cluster) turn(body string) map[string]any {
	deadline := time.Now().Add(60 * time.Second)
	var last string
	for time.Now().Before(deadline) {
		i := rand.IntN(clusterInstances)
		if !c.up[i].Load() {
			continue
		}
		resp, err := http.Post("http://"+c.addrs[i]+"/v1/messages", "application/json", strings.NewReader(body))
		if err != nil {
			last = err.Error()
			time.Sleep(20 * time.Millisecond)
			continue
		}
		var out struct {
			Replies []map[string]any `json:"replies"`
		}
		data := new(bytes.Buffer)
		_, _ = data.ReadFrom(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK || json.Unmarshal(data.Bytes(), &out) != nil || len(out.Replies) == 0 {
			last = fmt.Sprintf("status %d: %s", resp.StatusCode, data)
			time.Sleep(20 * time.Millisecond)
			continue
		}
		return out.Replies[len(out.Replies)-1]
	}
	c.t.Errorf("no instance answered %s within a minute; last: %s", body, last)
	return nil
}

// checkCases waits for the mail cases and checks that every mail and conversation has
// exactly one case.
func (c *cluster) checkCases() {
	st, err := local.Open(c.localDB)
	if err != nil {
		c.t.Fatal(err)
	}
	defer st.Close()
	ctx := context.Background()
	var mails, chats map[string]int
	deadline := time.Now().Add(90 * time.Second)
	for {
		cases, err := st.Cases(ctx, 1_000_000)
		if err != nil {
			c.t.Fatal(err)
		}
		mails, chats = map[string]int{}, map[string]int{}
		for _, cs := range cases {
			switch {
			case strings.HasPrefix(cs.ExternalID, "email:"):
				// The key is email:<mailbox>:<Message-ID>:<digest>; one mail, one Message-ID.
				parts := strings.Split(cs.ExternalID, ":")
				mails[parts[2]]++
			case strings.HasPrefix(cs.ExternalID, "frontdesk:"):
				// The router's cases: "frontdesk:" and the conversation id, chosen by the API
				// client (chat-N) or by the web chat.
				chats[cs.ExternalID]++
			}
		}
		if len(mails) >= clusterMails || time.Now().After(deadline) {
			break
		}
		time.Sleep(250 * time.Millisecond)
	}
	c.t.Logf("cases: %d mails, %d conversations; %d web chats resumed after their connection broke", len(mails), len(chats), c.resumes.Load())
	if len(mails) != clusterMails {
		c.t.Errorf("%d of %d mails have a case", len(mails), clusterMails)
	}
	if len(chats) != clusterConversations {
		c.t.Errorf("%d of %d conversations have a case", len(chats), clusterConversations)
	}
	for _, counts := range []map[string]int{mails, chats} {
		for id, n := range counts {
			if n != 1 {
				c.t.Errorf("%s has %d cases", id, n)
			}
		}
	}
}

// clusterDatabase creates a database of the test's own on the PostgreSQL test server.
func clusterDatabase(t testing.TB) string {
	base := testservers.URL(t, testservers.PostgresEnv)
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, base)
	if err != nil {
		t.Fatal(err)
	}
	name := fmt.Sprintf("fd_cluster_%x", rand.Uint32())
	if _, err := conn.Exec(ctx, "CREATE DATABASE "+name); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_, _ = conn.Exec(context.Background(), "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)")
		conn.Close(context.Background())
	})
	return strings.Replace(base, "/frontdesk?", "/"+name+"?", 1)
}
