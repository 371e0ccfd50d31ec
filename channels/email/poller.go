package email

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"

	"github.com/frontdeskhq/frontdesk/core/session"
	"github.com/frontdeskhq/frontdesk/core/store"
)

// HandleFunc handles one raw mail; an error leaves the mail to be handled again.
type HandleFunc func(ctx context.Context, mb MailboxConfig, raw []byte) error

// Poller fetches new mail from one mailbox and hands each to Handle, in UID order. It
// reconnects with backoff, waits in IDLE where the server has it (the client re-issues IDLE
// every 28 minutes, under the 29 of RFC 2177) and polls otherwise, and keeps its position
// (UIDVALIDITY and last UID) in the store. Only after Handle returned does it flag or move a
// mail and then advance the position, so a crash at any point leads to handling a mail again,
// never to losing it; Handle's idempotency makes the repetition harmless.
type Poller struct {
	Mailbox MailboxConfig
	Handle  HandleFunc
	Cursors store.Cursors
	// Leases, when set, makes the poller take the lease "email/<mailbox>" first, so that one
	// instance polls a mailbox at a time; cursor writes carry its fencing token.
	Leases session.Store
	// Holder names this instance in the lease; LeaseTTL is how long a dead holder keeps it
	// (15s): another instance takes the mailbox over within about that time.
	Holder   string
	LeaseTTL time.Duration
	Log      *slog.Logger
	// Dial opens the TCP connection; net.Dialer when nil.
	Dial func(network, addr string) (net.Conn, error)
	// MaxBackoff caps the wait between reconnections (5m); the first wait is a second.
	MaxBackoff time.Duration

	// refusals counts, by UIDVALIDITY and UID, how often Handle refused a mail as
	// ErrUnprocessable; after maxRefusals the mail is passed over.
	refusals map[string]int
}

// maxRefusals is how often a mail is refused as unprocessable before the poller passes over
// it: left in the folder, unread and unmoved, for a person, so that one bad mail does not
// hold up the mailbox. Other errors (an unreachable CRM) are retried without limit.
const maxRefusals = 3

// Run polls until ctx is done.
func (p *Poller) Run(ctx context.Context) error {
	p.Mailbox = p.Mailbox.withDefaults()
	log := p.logger()
	wait, maxWait := time.Second, p.MaxBackoff
	if maxWait <= 0 {
		maxWait = 5 * time.Minute
	}
	wait = min(wait, maxWait)
	for ctx.Err() == nil {
		started := time.Now()
		progressed, err := p.leased(ctx)
		if ctx.Err() != nil {
			return nil
		}
		// A connection that did some good, or lasted, was not part of a run of failures.
		if progressed || time.Since(started) > time.Minute {
			wait = min(time.Second, maxWait)
		}
		pause := wait
		if errors.Is(err, session.ErrLeaseHeld) {
			// A standby instance: try again within the lease's lifetime, so it takes over
			// soon after the holder dies.
			pause = min(p.leaseTTL()/2, maxWait)
			log.DebugContext(ctx, "mailbox polled by another instance", "mailbox", p.Mailbox.Name)
		} else {
			wait = min(wait*2, maxWait)
			if err != nil {
				log.WarnContext(ctx, "mailbox connection ended", "mailbox", p.Mailbox.Name, "err", err, "retry_in", pause)
			}
		}
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(pause):
		}
	}
	return nil
}

func (p *Poller) leaseTTL() time.Duration {
	if p.LeaseTTL <= 0 {
		return 15 * time.Second
	}
	return p.LeaseTTL
}

func (p *Poller) logger() *slog.Logger {
	if p.Log == nil {
		return slog.Default()
	}
	return p.Log
}

// leased runs one connection under the mailbox's lease; progressed reports whether any mail
// was handled, which resets the backoff.
func (p *Poller) leased(ctx context.Context) (progressed bool, err error) {
	if p.Leases == nil {
		return p.connection(ctx, 0)
	}
	lease, err := session.AcquireLease(ctx, p.Leases, "email/"+p.Mailbox.Name, p.Holder, p.leaseTTL())
	if err != nil {
		return false, err
	}
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	kept := make(chan struct{})
	go func() {
		defer close(kept)
		if err := lease.Keep(ctx); err != nil {
			cancel(err)
		}
	}()
	progressed, err = p.connection(ctx, lease.Token())
	cancel(nil)
	<-kept
	if cause := context.Cause(ctx); err != nil && cause != nil && !errors.Is(cause, context.Canceled) {
		err = cause
	}
	return progressed, err
}

// connection connects, then fetches and waits for new mail until an error or ctx ends it.
func (p *Poller) connection(ctx context.Context, token uint64) (progressed bool, err error) {
	mb := p.Mailbox
	arrived := make(chan struct{}, 1)
	opts := &imapclient.Options{UnilateralDataHandler: &imapclient.UnilateralDataHandler{
		Mailbox: func(d *imapclient.UnilateralDataMailbox) {
			if d.NumMessages != nil {
				select {
				case arrived <- struct{}{}:
				default:
				}
			}
		},
	}}
	c, err := dialIMAP(mb, p.Dial, opts)
	if err != nil {
		return false, fmt.Errorf("connect %s:%d: %w", mb.Host, mb.Port, err)
	}
	defer c.Close()
	// Closing the connection is the one way to interrupt a command in flight.
	stop := context.AfterFunc(ctx, func() { c.Close() })
	defer stop()
	if mb.Processed != "" {
		// Create fails when the folder exists, which is the usual case.
		_ = c.Create(mb.Processed, nil).Wait()
	}
	sel, err := c.Select(mb.Folder, nil).Wait()
	if err != nil {
		return false, fmt.Errorf("select %s: %w", mb.Folder, err)
	}
	next := sel.UIDNext // fresh at SELECT only
	for {
		n, err := p.fetchNew(ctx, c, sel.UIDValidity, next, token)
		next = 0
		progressed = progressed || n > 0
		if err != nil {
			return progressed, err
		}
		if err := p.wait(ctx, c, arrived); err != nil {
			return progressed, err
		}
	}
}

// wait returns when new mail may have arrived: an EXISTS in IDLE, or the poll interval.
func (p *Poller) wait(ctx context.Context, c *imapclient.Client, arrived chan struct{}) error {
	timer := time.NewTimer(p.Mailbox.PollInterval)
	defer timer.Stop()
	if !c.Caps().Has(imap.CapIdle) {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-timer.C:
			return nil
		}
	}
	idle, err := c.Idle()
	if err != nil {
		return fmt.Errorf("idle: %w", err)
	}
	select {
	case <-ctx.Done():
	case <-timer.C:
	case <-arrived:
	case <-c.Closed():
	}
	if err := idle.Close(); err != nil {
		return fmt.Errorf("idle: %w", err)
	}
	if err := idle.Wait(); err != nil {
		return fmt.Errorf("idle: %w", err)
	}
	return ctx.Err()
}

func (p *Poller) cursorKey() string { return "email/cursor/" + p.Mailbox.Name }

// position reads the stored position. A different UIDVALIDITY starts from the beginning (the
// mails are handled again, and their idempotency keys find what they did), and so does a
// position at or past the mailbox's UIDNEXT at SELECT (next; 0 when not fresh): the server
// gave out UIDs again without changing UIDVALIDITY, as an in-memory server does after a
// restart. A reset is stored at once, so it happens once, not on every round.
func (p *Poller) position(ctx context.Context, validity uint32, next imap.UID, token uint64) (imap.UID, error) {
	v, err := p.Cursors.Cursor(ctx, p.cursorKey())
	if errors.Is(err, store.ErrNotFound) {
		return 0, nil
	}
	if err != nil {
		return 0, err
	}
	vs, us, _ := strings.Cut(v, ":")
	stored, err1 := strconv.ParseUint(vs, 10, 32)
	last, err2 := strconv.ParseUint(us, 10, 32)
	var reset string
	switch {
	case err1 != nil || err2 != nil:
		reset = "unreadable mailbox cursor"
	case uint32(stored) != validity:
		reset = "UIDVALIDITY changed"
	case next != 0 && imap.UID(last) >= next:
		reset = "UIDs given out again under the same UIDVALIDITY"
	default:
		return imap.UID(last), nil
	}
	p.logger().WarnContext(ctx, reset+": reading the mailbox again", "mailbox", p.Mailbox.Name,
		"cursor", v, "uidvalidity", validity, "uidnext", next)
	return 0, p.storePosition(ctx, validity, 0, token)
}

// storePosition stores the position, fenced by the lease's token when there is a lease.
func (p *Poller) storePosition(ctx context.Context, validity uint32, uid imap.UID, token uint64) error {
	value := fmt.Sprintf("%d:%d", validity, uid)
	if p.Leases == nil {
		return p.Cursors.SetCursor(ctx, p.cursorKey(), value)
	}
	return p.Cursors.SetCursorFenced(ctx, p.cursorKey(), value, token)
}

// fetchNew handles every mail above the stored position, a batch at a time, and returns how
// many it handled.
func (p *Poller) fetchNew(ctx context.Context, c *imapclient.Client, validity uint32, next imap.UID, token uint64) (int, error) {
	last, err := p.position(ctx, validity, next, token)
	if err != nil {
		return 0, err
	}
	data, err := c.UIDSearch(&imap.SearchCriteria{UID: []imap.UIDSet{{imap.UIDRange{Start: last + 1, Stop: 0}}}}, nil).Wait()
	if err != nil {
		return 0, fmt.Errorf("search: %w", err)
	}
	// "last+1:*" always matches the newest mail, even below last+1.
	uids := slices.DeleteFunc(data.AllUIDs(), func(u imap.UID) bool { return u <= last })
	slices.Sort(uids)
	handled := 0
	for len(uids) > 0 {
		batch := uids[:min(len(uids), p.Mailbox.BatchSize)]
		uids = uids[len(batch):]
		done, ok, err := p.fetchBatch(ctx, c, validity, batch)
		handled += len(ok)
		if ferr := p.finish(ctx, c, validity, done, ok, token); ferr != nil {
			return handled, ferr
		}
		if err != nil {
			return handled, err
		}
	}
	return handled, nil
}

// fetchBatch fetches a batch with BODY.PEEK[] (which leaves \Seen alone) and hands each mail
// to Handle as it arrives, so a batch never holds more than one mail in memory. It stops at
// the first mail that fails. It returns the UIDs of the batch up to the first one not done
// (the position may advance past those only) and, of those, the ones handled (to flag or
// move; the others were passed over as unprocessable).
func (p *Poller) fetchBatch(ctx context.Context, c *imapclient.Client, validity uint32, batch []imap.UID) (done, ok []imap.UID, err error) {
	var set imap.UIDSet
	set.AddNum(batch...)
	section := &imap.FetchItemBodySection{Peek: true}
	cmd := c.Fetch(set, &imap.FetchOptions{UID: true, BodySection: []*imap.FetchItemBodySection{section}})
	handled := map[imap.UID]bool{} // true: handled; false: passed over
	var failed error
	for msg := cmd.Next(); msg != nil && failed == nil; msg = cmd.Next() {
		var uid imap.UID
		var raw []byte
		for item := msg.Next(); item != nil; item = msg.Next() {
			switch it := item.(type) {
			case imapclient.FetchItemDataUID:
				uid = it.UID
			case imapclient.FetchItemDataBodySection:
				if raw, err = readLiteral(it.Literal); err != nil {
					// The connection broke inside the response. The client's reader must not
					// be touched again (it would read the broken stream beside its own
					// goroutine): close it and report what was handled.
					c.Close()
					done, ok = outcome(batch, handled)
					return done, ok, err
				}
			}
		}
		if uid == 0 || raw == nil {
			continue
		}
		err := p.Handle(ctx, p.Mailbox, raw)
		switch {
		case err == nil:
			handled[uid] = true
		case errors.Is(err, ErrUnprocessable) && p.refused(validity, uid) >= maxRefusals:
			p.logger().ErrorContext(ctx, "mail passed over: left unread in the folder for a person", "mailbox", p.Mailbox.Name,
				"uid", uid, "refusals", maxRefusals, "err", err)
			handled[uid] = false
		default:
			failed = fmt.Errorf("uid %d: %w", uid, err)
		}
	}
	if err := cmd.Close(); err != nil && failed == nil {
		failed = fmt.Errorf("fetch: %w", err)
	}
	done, ok = outcome(batch, handled)
	if failed == nil && len(done) < len(batch) {
		// A mail expunged by someone else between SEARCH and FETCH is simply absent; the rest
		// of the batch is taken up again from the position on the next round.
		failed = fmt.Errorf("fetch: uid %d not returned", batch[len(done)])
	}
	return done, ok, failed
}

// refused counts a refusal of a mail and returns how many there were.
func (p *Poller) refused(validity uint32, uid imap.UID) int {
	if p.refusals == nil {
		p.refusals = map[string]int{}
	}
	k := fmt.Sprintf("%d:%d", validity, uid)
	p.refusals[k]++
	return p.refusals[k]
}

// outcome returns the UIDs of the batch up to the first one with no outcome, and of those
// the ones handled.
func outcome(batch []imap.UID, handled map[imap.UID]bool) (done, ok []imap.UID) {
	for _, u := range batch {
		h, seen := handled[u]
		if !seen {
			break
		}
		done = append(done, u)
		if h {
			ok = append(ok, u)
		}
	}
	return done, ok
}

// readLiteral reads a mail from a FETCH response in full. A connection cut in the middle of
// the literal can end the reader early without an error; a short mail would be a different
// mail (another digest, another case), so a read that falls short of the announced size fails.
func readLiteral(lit imap.LiteralReader) ([]byte, error) {
	raw, err := io.ReadAll(io.LimitReader(lit, maxFetchBytes))
	if err != nil {
		return nil, fmt.Errorf("fetch: %w", err)
	}
	if want := min(lit.Size(), maxFetchBytes); int64(len(raw)) < want {
		return nil, fmt.Errorf("fetch: mail cut short at %d of %d bytes", len(raw), want)
	}
	return raw, nil
}

// maxFetchBytes caps the bytes read of one mail; mime.Parse caps further.
const maxFetchBytes = 32 << 20

// finish flags or moves the handled mails, then stores the position after the done ones.
func (p *Poller) finish(ctx context.Context, c *imapclient.Client, validity uint32, done, ok []imap.UID, token uint64) error {
	if len(done) == 0 {
		return nil
	}
	if len(ok) > 0 {
		var set imap.UIDSet
		set.AddNum(ok...)
		if *p.Mailbox.MarkSeen {
			if err := c.Store(set, &imap.StoreFlags{Op: imap.StoreFlagsAdd, Silent: true, Flags: []imap.Flag{imap.FlagSeen}}, nil).Close(); err != nil {
				return fmt.Errorf("flag \\Seen: %w", err)
			}
		}
		if p.Mailbox.Processed != "" {
			if _, err := c.Move(set, p.Mailbox.Processed).Wait(); err != nil {
				return fmt.Errorf("move to %s: %w", p.Mailbox.Processed, err)
			}
		}
	}
	return p.storePosition(ctx, validity, done[len(done)-1], token)
}
