package email_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"

	"github.com/frontdeskhq/frontdesk/channels/email"
	"github.com/frontdeskhq/frontdesk/channels/email/devmail"
	"github.com/frontdeskhq/frontdesk/connectors/local"
	"github.com/frontdeskhq/frontdesk/core/auth"
	"github.com/frontdeskhq/frontdesk/core/intent"
	"github.com/frontdeskhq/frontdesk/core/policy"
	"github.com/frontdeskhq/frontdesk/core/queue"
	"github.com/frontdeskhq/frontdesk/core/router"
	"github.com/frontdeskhq/frontdesk/core/session"
	"github.com/frontdeskhq/frontdesk/core/store"
	"github.com/frontdeskhq/frontdesk/plugins"
	"github.com/frontdeskhq/frontdesk/sdk/plugin"
)

const support = "support@frontdesk.test"

// pluginBin is the local stack's plugin, built once for the package's tests.
var pluginBin string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "email-test-")
	if err != nil {
		panic(err)
	}
	pluginBin = filepath.Join(dir, "frontdesk-local")
	build := exec.Command("go", "build", "-o", pluginBin, "github.com/frontdeskhq/frontdesk/cmd/frontdesk-local")
	if out, err := build.CombinedOutput(); err != nil {
		fmt.Fprintf(os.Stderr, "build the local plugin: %v\n%s", err, out)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// rig is the email channel on real parts: the dev mail server over TCP, the local stack's
// plugin as the CRM, a SQLite store, the in-process queue and session store.
type rig struct {
	t        testing.TB
	mail     *devmail.Server
	crm      plugin.CRM
	localDB  string
	store    *store.SQLStore
	sessions session.Store
	queue    *queue.Memory
	valet    *auth.Valet
	intake   *email.Intake
	outbox   *email.Outbox
	mailbox  email.MailboxConfig

	mu        sync.Mutex
	delivered map[string][][]byte // by recipient
}

type rigOptions struct {
	devmail devmail.Options
	// processed names the folder handled mail moves to; "" flags it \Seen.
	processed string
}

func newRig(t testing.TB, o rigOptions) *rig {
	t.Helper()
	ctx := context.Background()
	dir := t.TempDir()
	r := &rig{t: t, localDB: filepath.Join(dir, "local.db"), delivered: map[string][][]byte{}}
	o.devmail.Delivered = func(from string, to []string, raw []byte) {
		r.mu.Lock()
		defer r.mu.Unlock()
		for _, a := range to {
			r.delivered[a] = append(r.delivered[a], raw)
		}
	}
	r.mail = devmail.New(o.devmail)
	if err := r.mail.Start("127.0.0.1:0", "127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.mail.Close() })
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	host, err := plugins.Start(ctx, []plugins.Config{{Name: "crm", Command: pluginBin, Args: []string{"--db", r.localDB}}}, log)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { host.Close() })
	r.crm, _ = host.CRM("crm")
	if r.store, err = store.OpenSQLite(ctx, filepath.Join(dir, "frontdesk.db")); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.store.Close() })
	r.sessions = session.NewMemory()
	r.queue = queue.NewMemory(queue.Options{MaxDeliveries: 20, Backoff: queue.ExponentialBackoff(10*time.Millisecond, 100*time.Millisecond)})
	t.Cleanup(func() { r.queue.Close() })
	r.valet = &auth.Valet{Keys: [][]byte{[]byte("0123456789abcdef0123456789abcdef")}, Used: r.sessions}
	policies, err := policy.LoadDir("testdata/policies", policy.Env{Executors: policy.ExecutorMap{}})
	if err != nil {
		t.Fatal(err)
	}
	routing, err := router.NewRouting("general-support", map[string][]string{"cards": {"card_lost_stolen", "card_not_arrived"}})
	if err != nil {
		t.Fatal(err)
	}
	templates, err := email.CompileTemplates(email.TemplateConfig{})
	if err != nil {
		t.Fatal(err)
	}
	host2, port, _ := net.SplitHostPort(r.mail.SMTPAddr())
	smtpPort, _ := strconv.Atoi(port)
	r.outbox = &email.Outbox{Queue: r.queue, Sent: r.store, Locks: r.sessions, Log: log,
		SMTP: email.SMTPConfig{Host: host2, Port: smtpPort, Security: "none"}}
	r.intake = &email.Intake{
		CRM: r.crm, Policies: policies, LinkIntents: []string{"change_address"}, Routing: routing,
		Classifier: intent.Keywords{
			"change_address":   {"address", "moved"},
			"card_lost_stolen": {"lost my card", "card is lost", "stolen"},
			"fee_complaint":    {"fee"},
		},
		Valet: r.valet, PublicURL: "http://frontdesk.test", Threads: email.Threads{Cursors: r.store},
		Processed: r.store, Outbox: r.outbox, Templates: templates,
		RateLimit: email.RateLimit{Sessions: r.sessions}, Log: log,
	}
	ihost, iport, _ := net.SplitHostPort(r.mail.IMAPAddr())
	imapPort, _ := strconv.Atoi(iport)
	r.mailbox = email.MailboxConfig{Name: "support", Address: support, Host: ihost, Port: imapPort,
		Security: "none", User: support, Password: "devmail", Processed: o.processed,
		PollInterval: 50 * time.Millisecond, BatchSize: 50}
	r.mail.User(support)
	return r
}

// handle is the intake as a poller's HandleFunc.
func (r *rig) handle(ctx context.Context, mb email.MailboxConfig, raw []byte) error {
	_, err := r.intake.Handle(ctx, mb, raw)
	return err
}

func (r *rig) poller(handle email.HandleFunc) *email.Poller {
	return &email.Poller{Mailbox: r.mailbox, Handle: handle, Cursors: r.store, Leases: r.sessions,
		Holder: "test", LeaseTTL: time.Second, MaxBackoff: 50 * time.Millisecond,
		Log: slog.New(slog.NewTextHandler(io.Discard, nil))}
}

// run starts the poller and the outbox until the test ends.
func (r *rig) run(p *email.Poller) {
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	wg.Add(2)
	go func() { defer wg.Done(); _ = p.Run(ctx) }()
	go func() { defer wg.Done(); _ = r.outbox.Run(ctx) }()
	r.t.Cleanup(func() { cancel(); wg.Wait() })
}

// receive delivers a mail to the support mailbox as if sent from outside.
func (r *rig) receive(raw string) {
	r.t.Helper()
	if err := r.mail.Deliver(support, []byte(strings.ReplaceAll(raw, "\n", "\r\n"))); err != nil {
		r.t.Fatal(err)
	}
}

// cases reads every case of the local CRM.
func (r *rig) cases() []plugin.Case {
	r.t.Helper()
	s, err := local.Open(r.localDB)
	if err != nil {
		r.t.Fatal(err)
	}
	defer s.Close()
	cs, err := s.Cases(context.Background(), 1_000_000)
	if err != nil {
		r.t.Fatal(err)
	}
	return cs
}

func (r *rig) notes(caseID string) []string {
	r.t.Helper()
	s, err := local.Open(r.localDB)
	if err != nil {
		r.t.Fatal(err)
	}
	defer s.Close()
	ns, err := s.Notes(context.Background(), caseID)
	if err != nil {
		r.t.Fatal(err)
	}
	var out []string
	for _, n := range ns {
		out = append(out, n.Body)
	}
	return out
}

func (r *rig) sentTo(addr string) [][]byte {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([][]byte(nil), r.delivered[addr]...)
}

// eventually polls cond until it holds or the deadline passes.
func eventually(t testing.TB, what string, d time.Duration, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(d)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func mailText(from, subject, id, body string, extra ...string) string {
	h := "From: " + from + "\nTo: " + support + "\nSubject: " + subject + "\nMessage-ID: <" + id + ">\nDate: Sat, 21 Nov 2026 10:00:00 +0000\n"
	for _, e := range extra {
		h += e + "\n"
	}
	return h + "Content-Type: text/plain; charset=utf-8\n\n" + body + "\n"
}

// folderCount counts the mails in a folder of the support mailbox, over IMAP.
func (r *rig) folderCount(folder string) int {
	r.t.Helper()
	c, err := imapclient.DialInsecure(r.mail.IMAPAddr(), nil)
	if err != nil {
		r.t.Fatal(err)
	}
	defer c.Close()
	if err := c.Login(support, "devmail").Wait(); err != nil {
		r.t.Fatal(err)
	}
	st, err := c.Status(folder, &imap.StatusOptions{NumMessages: true}).Wait()
	if err != nil {
		return -1
	}
	return int(*st.NumMessages)
}

// searchSupport runs a UID SEARCH in the support INBOX.
func (r *rig) searchSupport(criteria *imap.SearchCriteria) ([]imap.UID, error) {
	c, err := imapclient.DialInsecure(r.mail.IMAPAddr(), nil)
	if err != nil {
		return nil, err
	}
	defer c.Close()
	if err := c.Login(support, "devmail").Wait(); err != nil {
		return nil, err
	}
	if _, err := c.Select("INBOX", &imap.SelectOptions{ReadOnly: true}).Wait(); err != nil {
		return nil, err
	}
	data, err := c.UIDSearch(criteria, nil).Wait()
	if err != nil {
		return nil, err
	}
	return data.AllUIDs(), nil
}
