package email_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/emersion/go-imap/v2"

	"github.com/frontdeskhq/frontdesk/channels/email"
	"github.com/frontdeskhq/frontdesk/channels/email/devmail"
	"github.com/frontdeskhq/frontdesk/core/session"
	"github.com/frontdeskhq/frontdesk/sdk/plugin"
)

// cutProxy is a TCP proxy in front of the IMAP server that cuts each of the first `cuts`
// connections after a random number of bytes from the server, in the middle of a FETCH
// response once the mails are large.
type cutProxy struct {
	ln    net.Listener
	cuts  atomic.Int32
	cut   atomic.Int32
	limit int
}

func newCutProxy(t *testing.T, target string, cuts int) *cutProxy {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &cutProxy{ln: ln, limit: cuts}
	go func() {
		for {
			client, err := ln.Accept()
			if err != nil {
				return
			}
			server, err := net.Dial("tcp", target)
			if err != nil {
				client.Close()
				continue
			}
			budget := int64(-1)
			if int(p.cuts.Add(1)) <= p.limit {
				budget = 10_000 + rand.Int64N(50_000)
			}
			go p.pipe(server, client, budget)
			go p.pipe(client, server, -1)
		}
	}()
	t.Cleanup(func() { ln.Close() })
	return p
}

// pipe copies src to dst; with a budget it closes both after that many bytes.
func (p *cutProxy) pipe(src, dst net.Conn, budget int64) {
	defer src.Close()
	defer dst.Close()
	buf := make([]byte, 4096)
	for {
		n, err := src.Read(buf)
		if budget >= 0 && int64(n) >= budget {
			dst.Write(buf[:budget])
			p.cut.Add(1)
			return
		}
		if n > 0 {
			if _, werr := dst.Write(buf[:n]); werr != nil {
				return
			}
			budget -= int64(n)
			if budget < -1 {
				budget = -1
			}
		}
		if err != nil {
			return
		}
	}
}

// TestConnectionDropsMidFetch cuts the IMAP connection inside FETCH responses several times:
// the poller reconnects and every mail yields one case.
func TestConnectionDropsMidFetch(t *testing.T) {
	r := newRig(t, rigOptions{})
	proxy := newCutProxy(t, r.mail.IMAPAddr(), 6)
	host, port, _ := net.SplitHostPort(proxy.ln.Addr().String())
	r.mailbox.Host = host
	fmt.Sscan(port, &r.mailbox.Port)
	const n = 120
	// 120 mails of 5 KB outweigh the 6 cut connections' budgets (at most 60 KB each), so
	// every cut happens before the last mail is fetched.
	filler := strings.Repeat("Some more words about the card that was lost on the way home. ", 80)
	for i := range n {
		r.receive(mailText(fmt.Sprintf("d%d@example.com", i), "lost", fmt.Sprintf("drop-%d@example.com", i), "I lost my card. "+filler))
	}
	r.run(r.poller(r.handle))
	eventually(t, "every mail handled", 30*time.Second, func() bool { return len(r.cases()) == n && r.unseen() == 0 })
	if proxy.cut.Load() < 6 {
		t.Errorf("only %d connections were cut", proxy.cut.Load())
	}
	time.Sleep(100 * time.Millisecond)
	if got := len(r.cases()); got != n {
		t.Errorf("%d cases for %d mails", got, n)
	}
}

// unseen counts the support INBOX's mails without \Seen.
func (r *rig) unseen() int {
	data, err := r.searchSupport(&imap.SearchCriteria{NotFlag: []imap.Flag{imap.FlagSeen}})
	if err != nil {
		return -1
	}
	return len(data)
}

// TestAutoRespondersAreBounded lets two auto-responders write to the support mailbox and
// answer every mail they get: a polite one (Auto-Submitted) and one that marks nothing and
// starts a new thread each time. The polite one gets one reply, the other at most the rate
// limit, and the exchange stops.
func TestAutoRespondersAreBounded(t *testing.T) {
	r := newRig(t, rigOptions{})
	r.intake.RateLimit.Max = 3
	r.run(r.poller(r.handle))
	responders := map[string]string{
		"polite@example.com": "Auto-Submitted: auto-replied\nPrecedence: bulk",
		"rude@example.com":   "",
	}
	for addr := range responders {
		r.receive(mailText(addr, "hello", "start-"+addr, "Please change my address."))
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	answered := map[string]int{}
	for ctx.Err() == nil {
		for addr, headers := range responders {
			got := r.sentTo(addr)
			for ; answered[addr] < len(got); answered[addr]++ {
				var extra []string
				if headers != "" {
					extra = strings.Split(headers, "\n")
				}
				// The rude one writes a fresh mail: no In-Reply-To, no case token.
				r.receive(mailText(addr, "I am away", fmt.Sprintf("auto-%s-%d", addr, answered[addr]),
					"I am away. About my address change: I moved.", extra...))
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
	if got := len(r.sentTo("polite@example.com")); got != 1 {
		t.Errorf("the polite responder got %d replies, want 1", got)
	}
	if got := len(r.sentTo("rude@example.com")); got != 3 {
		t.Errorf("the rude responder got %d replies, want the limit of 3", got)
	}
}

// TestCopyFallbackAndPolling runs against a server with neither MOVE nor IDLE: handled mail
// reaches the processed folder by COPY, STORE and EXPUNGE, and new mail is found by polling.
func TestCopyFallbackAndPolling(t *testing.T) {
	r := newRig(t, rigOptions{processed: "Done", devmail: devmail.Options{Caps: imap.CapSet{imap.CapIMAP4rev1: {}, imap.CapUIDPlus: {}}}})
	r.run(r.poller(r.handle))
	for i := range 5 {
		r.receive(mailText(fmt.Sprintf("p%d@example.com", i), "card", fmt.Sprintf("poll-%d@x", i), "I lost my card."))
		time.Sleep(30 * time.Millisecond)
	}
	eventually(t, "mails moved", 10*time.Second, func() bool { return r.folderCount("INBOX") == 0 && r.folderCount("Done") == 5 })
	if got := len(r.cases()); got != 5 {
		t.Errorf("%d cases, want 5", got)
	}
}

// TestUIDValidityChange reads the mailbox again after its UIDVALIDITY changed: no case is
// created twice and no reply sent twice.
func TestUIDValidityChange(t *testing.T) {
	r := newRig(t, rigOptions{})
	for i := range 4 {
		r.receive(mailText(fmt.Sprintf("u%d@example.com", i), "moved", fmt.Sprintf("uv-%d@x", i), "I moved house, change my address."))
	}
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { defer wg.Done(); _ = r.outbox.Run(ctx) }()
	defer func() { cancel(); wg.Wait() }()
	runUntil := func(cond func() bool) {
		pctx, stop := context.WithCancel(ctx)
		done := make(chan struct{})
		go func() { defer close(done); _ = r.poller(r.handle).Run(pctx) }()
		eventually(t, "handled", 10*time.Second, cond)
		stop()
		<-done
	}
	// Until the position is past the 4 mails: each was fully handled.
	runUntil(func() bool {
		cur, err := r.store.Cursor(context.Background(), "email/cursor/support")
		return err == nil && strings.HasSuffix(cur, ":4") && len(r.sentTo("u3@example.com")) == 1
	})
	// What a server's new UIDVALIDITY looks like to the poller.
	if err := r.store.SetCursor(context.Background(), "email/cursor/support", "4242:4"); err != nil {
		t.Fatal(err)
	}
	var handled, duplicates atomic.Int32
	counting := r.poller(func(ctx context.Context, mb email.MailboxConfig, raw []byte) error {
		handled.Add(1)
		res, err := r.intake.Handle(ctx, mb, raw)
		if res.Decision == email.Duplicate {
			duplicates.Add(1)
		}
		return err
	})
	pctx, stop := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() { defer close(done); _ = counting.Run(pctx) }()
	eventually(t, "mails read again", 10*time.Second, func() bool { return handled.Load() >= 4 })
	time.Sleep(200 * time.Millisecond)
	stop()
	<-done
	if got := len(r.cases()); got != 4 {
		t.Errorf("%d cases after the UIDVALIDITY change, want 4", got)
	}
	if d := duplicates.Load(); d != handled.Load() {
		t.Errorf("%d of %d mails read again were recognized as handled", d, handled.Load())
	}
	for i := range 4 {
		if got := len(r.sentTo(fmt.Sprintf("u%d@example.com", i))); got != 1 {
			t.Errorf("u%d got %d replies, want 1", i, got)
		}
	}
}

// TestOnePollerPerMailbox runs two instances' pollers on one mailbox: the lease lets one poll
// at a time, so no mail is even handled twice.
func TestOnePollerPerMailbox(t *testing.T) {
	r := newRig(t, rigOptions{processed: "Processed"})
	const n = 60
	for i := range n {
		r.receive(mailText(fmt.Sprintf("l%d@example.com", i), "card", fmt.Sprintf("lease-%d@x", i), "I lost my card."))
	}
	var calls [2]atomic.Int32
	for i := range calls {
		p := r.poller(func(ctx context.Context, mb email.MailboxConfig, raw []byte) error {
			calls[i].Add(1)
			return r.handle(ctx, mb, raw)
		})
		p.Holder = fmt.Sprintf("instance-%d", i)
		r.run(p)
	}
	eventually(t, "every mail moved", 20*time.Second, func() bool { return r.folderCount("Processed") == n })
	if a, b := calls[0].Load(), calls[1].Load(); a+b != n || (a != 0 && b != 0) {
		t.Errorf("the pollers handled %d and %d mails, want %d by one of them", a, b, n)
	}
	if got := len(r.cases()); got != n {
		t.Errorf("%d cases, want %d", got, n)
	}
}

// refusingCRM refuses, as malformed, the case of any mail whose subject says so.
type refusingCRM struct{ plugin.CRM }

func (c refusingCRM) EnsureCase(ctx context.Context, req plugin.CaseRequest) (plugin.Case, error) {
	if strings.Contains(req.Subject, "refuse me") {
		return plugin.Case{}, fmt.Errorf("crm: subject too odd: %w", plugin.ErrInvalidArgument)
	}
	return c.CRM.EnsureCase(ctx, req)
}

// TestUnprocessableMailIsPassedOver: a mail the CRM refuses as malformed is tried a few times,
// then left unread in the folder for a person, and the mails after it are handled.
func TestUnprocessableMailIsPassedOver(t *testing.T) {
	r := newRig(t, rigOptions{})
	r.intake.CRM = refusingCRM{r.crm}
	r.receive(mailText("a@example.com", "card", "pp-1@x", "I lost my card."))
	r.receive(mailText("b@example.com", "please refuse me", "pp-2@x", "I lost my card."))
	r.receive(mailText("c@example.com", "card", "pp-3@x", "I lost my card."))
	r.run(r.poller(r.handle))
	eventually(t, "the other mails handled", 20*time.Second, func() bool { return len(r.cases()) == 2 && r.unseen() == 1 })
	unseen, err := r.searchSupport(&imap.SearchCriteria{NotFlag: []imap.Flag{imap.FlagSeen}})
	if err != nil || len(unseen) != 1 || unseen[0] != 2 {
		t.Errorf("unread mails %v (%v), want the refused one, UID 2", unseen, err)
	}
}

// TestUIDsReusedUnderSameValidity: a stored position past the mailbox's UIDNEXT (an in-memory
// server restarted, UIDs given out again under the same UIDVALIDITY) makes the poller read the
// mailbox again instead of skipping the new mails.
func TestUIDsReusedUnderSameValidity(t *testing.T) {
	r := newRig(t, rigOptions{})
	ctx := context.Background()
	r.receive(mailText("v1@example.com", "card", "reuse-1@x", "I lost my card."))
	p := r.poller(r.handle)
	pctx, stop := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() { defer close(done); _ = p.Run(pctx) }()
	var cur string
	eventually(t, "the first mail", 10*time.Second, func() bool {
		var err error
		cur, err = r.store.Cursor(ctx, "email/cursor/support")
		return err == nil
	})
	stop()
	<-done
	validity, _, _ := strings.Cut(cur, ":")
	if err := r.store.SetCursor(ctx, "email/cursor/support", validity+":99"); err != nil {
		t.Fatal(err)
	}
	r.receive(mailText("v2@example.com", "card", "reuse-2@x", "I lost my card."))
	r.run(r.poller(r.handle))
	eventually(t, "the second mail", 10*time.Second, func() bool { return len(r.cases()) == 2 })
	// The reset was stored: the position is the new mail's, not 99 and not 0.
	eventually(t, "the position after it", 10*time.Second, func() bool {
		cur, err := r.store.Cursor(ctx, "email/cursor/support")
		return err == nil && cur == validity+":2"
	})
}

// TestStandbyTakesOverADeadHoldersLease: the lease of an instance that died (never released)
// passes to a standby poller soon after it expires.
func TestStandbyTakesOverADeadHoldersLease(t *testing.T) {
	r := newRig(t, rigOptions{})
	if _, err := session.AcquireLease(context.Background(), r.sessions, "email/support", "dead-instance", time.Second); err != nil {
		t.Fatal(err)
	}
	r.receive(mailText("s@example.com", "card", "standby-1@x", "I lost my card."))
	start := time.Now()
	r.run(r.poller(r.handle))
	eventually(t, "the standby's first case", 10*time.Second, func() bool { return len(r.cases()) == 1 })
	if d := time.Since(start); d < time.Second || d > 4*time.Second {
		t.Errorf("taken over after %v, want soon after the 1s lease expired", d)
	}
}
