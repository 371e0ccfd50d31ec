package email_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/frontdeskhq/frontdesk/sdk/plugin"
)

var errInjected = errors.New("injected fault")

// faultyCRM fails CRM calls at random, before the call reaches the CRM or after it took
// effect: the two sides of a crash around the CRM call.
type faultyCRM struct {
	plugin.CRM
	p float64
}

func (f faultyCRM) hit() bool { return rand.Float64() < f.p }

func (f faultyCRM) EnsureCase(ctx context.Context, req plugin.CaseRequest) (plugin.Case, error) {
	if f.hit() {
		return plugin.Case{}, errInjected
	}
	c, err := f.CRM.EnsureCase(ctx, req)
	if err == nil && f.hit() {
		return plugin.Case{}, errInjected
	}
	return c, err
}

// AddNote is the intake's last CRM call: failing after it is a crash between the CRM call and
// the flag.
func (f faultyCRM) AddNote(ctx context.Context, n plugin.Note) error {
	if f.hit() {
		return errInjected
	}
	err := f.CRM.AddNote(ctx, n)
	if err == nil && f.hit() {
		return errInjected
	}
	return err
}

// moveCutter closes the IMAP connection at random when the client sends MOVE (or the COPY
// of the fallback): before it is written, or right after, while the server moves.
type moveCutter struct {
	net.Conn
	p float64
}

func (c moveCutter) Write(b []byte) (int, error) {
	cut := (bytes.Contains(b, []byte(" MOVE ")) || bytes.Contains(b, []byte(" COPY "))) && rand.Float64() < c.p
	if cut && rand.IntN(2) == 0 {
		c.Conn.Close()
		return 0, errInjected
	}
	n, err := c.Conn.Write(b)
	if cut {
		c.Conn.Close()
	}
	return n, err
}

// TestKilledAtRandomPoints delivers 1,000 mails (some without a Message-ID, some reusing
// one) while the poller is killed and restarted at random moments and faults hit the CRM
// calls and the MOVE: every mail must yield exactly one case with one decision log, every
// change-of-address mail exactly one reply (though SMTP deliveries fail too), and every mail
// end in the processed folder.
func TestKilledAtRandomPoints(t *testing.T) {
	n := 1000
	if testing.Short() {
		n = 200
	}
	r := newRig(t, rigOptions{processed: "Processed"})
	r.intake.CRM = faultyCRM{CRM: r.crm, p: 0.03}
	r.intake.RateLimit.Max = 1000
	// One delivery in five fails before it reaches the SMTP server: retried, never lost.
	smtpSend := r.outbox.SMTP.Send
	var refusedSends atomic.Int32
	r.outbox.Send = func(ctx context.Context, from string, to []string, msg []byte) error {
		if rand.Float64() < 0.2 {
			refusedSends.Add(1)
			return errInjected
		}
		return smtpSend(ctx, from, to, msg)
	}
	linked := 0
	for i := range n {
		id := fmt.Sprintf("Message-ID: <kill-%d@example.com>", i)
		switch {
		case i%50 == 7:
			id = "X-No-Id: true"
		case i%97 == 5:
			id = fmt.Sprintf("Message-ID: <kill-%d@example.com>", i-1) // reused by a broken mailer
		}
		body := []string{"I moved, please change my address.", "I lost my card in town.", "Hello, question about my plan.", "Why this fee?"}[i%4]
		if i%4 == 0 {
			linked++
		}
		r.receive(fmt.Sprintf("From: c%d@example.com\nTo: %s\nSubject: request %d\n%s\nDate: Sat, 21 Nov 2026 10:00:00 +0000\n\n%s (%d)\n",
			i, support, i, id, body, i))
	}
	ctx, stop := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	wg.Add(2)
	go func() { defer wg.Done(); _ = r.outbox.Run(ctx) }()
	kills := 0
	go func() {
		defer wg.Done()
		for ctx.Err() == nil {
			p := r.poller(r.handle)
			p.Dial = func(network, addr string) (net.Conn, error) {
				c, err := net.Dial(network, addr)
				if err != nil {
					return nil, err
				}
				return moveCutter{Conn: c, p: 0.1}, nil
			}
			pctx, kill := context.WithCancel(ctx)
			done := make(chan struct{})
			go func() { defer close(done); _ = p.Run(pctx) }()
			select {
			case <-time.After(time.Duration(20+rand.IntN(200)) * time.Millisecond):
			case <-ctx.Done():
			}
			kill()
			<-done
			kills++
		}
	}()
	eventually(t, "every mail processed", 60*time.Second, func() bool {
		return r.folderCount("INBOX") == 0 && r.folderCount("Processed") == n
	})
	eventually(t, "every reply sent", 30*time.Second, func() bool {
		sent := 0
		for i := 0; i < n; i += 4 {
			sent += len(r.sentTo(fmt.Sprintf("c%d@example.com", i)))
		}
		return sent >= linked
	})
	time.Sleep(300 * time.Millisecond) // room for a duplicate to show
	stop()
	wg.Wait()
	t.Logf("%d mails, %d kills, %d failed SMTP deliveries", n, kills, refusedSends.Load())

	cases := r.cases()
	if len(cases) != n {
		t.Errorf("%d cases for %d mails", len(cases), n)
	}
	seen := map[string]bool{}
	for _, c := range cases {
		if seen[c.ExternalID] {
			t.Errorf("two cases with external id %s", c.ExternalID)
		}
		seen[c.ExternalID] = true
		if !strings.HasPrefix(c.ExternalID, "email:support:") {
			t.Errorf("case %s has external id %q", c.ID, c.ExternalID)
		}
	}
	for _, c := range cases[:min(len(cases), 100)] {
		if notes := r.notes(c.ID); len(notes) != 1 {
			t.Errorf("case %s has %d decision logs, want 1", c.ID, len(notes))
		}
	}
	for i := 0; i < n; i += 4 {
		if got := len(r.sentTo(fmt.Sprintf("c%d@example.com", i))); got != 1 {
			t.Errorf("c%d got %d replies, want 1", i, got)
		}
	}
	if kills < 3 {
		t.Errorf("only %d kills: the test did not test restarts", kills)
	}
}
