package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"strconv"
	"sync"

	"github.com/frontdeskhq/frontdesk/channels/email"
	"github.com/frontdeskhq/frontdesk/channels/email/devmail"
	"github.com/frontdeskhq/frontdesk/channels/email/mime"
	"github.com/frontdeskhq/frontdesk/cmd/frontdesk/internal/config"
	"github.com/frontdeskhq/frontdesk/core/queue"
	"github.com/frontdeskhq/frontdesk/core/router"
	"github.com/frontdeskhq/frontdesk/core/session"
)

// mountEmail starts the email channel: a poller per mailbox, the intake, and the outbox that
// sends replies through the work queue. With email.devmail enabled it first starts the
// development mail server and points a mailbox and the SMTP settings at it.
func (g *gateway) mountEmail(ctx context.Context) error {
	ec := g.cfg.Email
	if !ec.Enabled() {
		return nil
	}
	log := g.log.With("channel", "email")
	if g.store == nil {
		return errors.New("email: store.path (or store.url) is required: the channel keeps mailbox positions and processed ids there")
	}
	if g.plugins == nil || g.cfg.Services.CRM == "" {
		return errors.New("email: services.crm is required: every mail becomes a case")
	}
	crm, ok := g.plugins.CRM(g.cfg.Services.CRM)
	if !ok {
		return fmt.Errorf("email: plugin %q does not serve CRM", g.cfg.Services.CRM)
	}
	if ec.Devmail.Enabled {
		if err := g.startDevmail(&ec); err != nil {
			return err
		}
	}
	templates, err := email.CompileTemplates(ec.Templates)
	if err != nil {
		return fmt.Errorf("email.%w", err)
	}
	routing, err := router.NewRouting(g.cfg.Routing.DefaultTeam, g.cfg.Routing.Teams)
	if err != nil {
		return err
	}
	q, err := g.replyQueue(ctx, log)
	if err != nil {
		return err
	}
	metrics := email.NewMetrics(g.reg)
	outbox := &email.Outbox{Queue: q, SMTP: ec.SMTP, Sent: g.store, Locks: g.sessions, Log: log, Metrics: metrics}
	intake := &email.Intake{
		CRM: crm, Classifier: g.intents, Policies: g.policies, LinkIntents: ec.LinkIntents, Routing: routing,
		Valet: g.valet, ValetTTL: g.cfg.Valet.TTL, PublicURL: g.cfg.PublicURL,
		Threads: email.Threads{Cursors: g.store}, Processed: g.store, Outbox: outbox, Templates: templates,
		RateLimit: email.RateLimit{Sessions: g.sessions, Max: ec.RateLimit.Max, Window: ec.RateLimit.Window},
		Limits:    mime.Limits{MaxBytes: ec.MaxMailBytes}, Log: log, Metrics: metrics,
	}
	handle := func(ctx context.Context, mb email.MailboxConfig, raw []byte) error {
		_, err := intake.Handle(ctx, mb, raw)
		return err
	}
	// The channel outlives the context serve was built with until Close, like the server.
	run, stop := context.WithCancel(context.WithoutCancel(ctx))
	var wg sync.WaitGroup
	start := func(f func(context.Context) error) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := f(run); err != nil {
				log.Error("email channel stopped", "err", err)
			}
		}()
	}
	start(outbox.Run)
	for _, mb := range ec.Mailboxes {
		p := &email.Poller{Mailbox: mb, Handle: handle, Cursors: g.store, Leases: g.sessions, Holder: g.instance, LeaseTTL: mb.LeaseTTL, Log: log}
		start(p.Run)
	}
	g.closers = append(g.closers, func() error { stop(); wg.Wait(); return nil })
	log.Info("email channel started", "mailboxes", len(ec.Mailboxes))
	return nil
}

// replyQueue is the queue replies wait in: Redis Streams when the session store is Redis, so a
// reply queued by an instance that stops is sent by another; otherwise the embedded store's
// SQLite file, so a reply queued by a process that dies is sent after its restart; in-process
// only with a PostgreSQL store and no Redis, an unusual set-up.
func (g *gateway) replyQueue(ctx context.Context, log *slog.Logger) (queue.Queue, error) {
	if g.cfg.Session.Backend != "redis" {
		if g.cfg.Store.Driver == "postgres" {
			q := queue.NewMemory(queue.Options{})
			g.closers = append(g.closers, q.Close)
			return q, nil
		}
		q, err := queue.NewSQLite(ctx, g.store.DB(), queue.SQLiteOptions{Logger: log})
		if err != nil {
			return nil, fmt.Errorf("email: reply queue: %w", err)
		}
		g.closers = append(g.closers, q.Close)
		return q, nil
	}
	client, err := session.NewRedisClient(g.cfg.Session.URL)
	if err != nil {
		return nil, fmt.Errorf("email: reply queue: %w", err)
	}
	q := queue.NewRedisStreams(client, queue.RedisOptions{Prefix: g.cfg.Session.Prefix + "queue:", Logger: log})
	// Closed in reverse: the queue first, then its client.
	g.closers = append(g.closers, client.Close, q.Close)
	return q, nil
}

// startDevmail starts the development mail server and adds its mailbox and SMTP settings.
func (g *gateway) startDevmail(ec *config.Email) error {
	d := ec.Devmail
	srv := devmail.New(devmail.Options{})
	if err := srv.Start(d.IMAP, d.SMTP); err != nil {
		return fmt.Errorf("email.devmail: %w (is another devmail running?)", err)
	}
	g.closers = append(g.closers, srv.Close)
	srv.User(d.Address)
	imapHost, imapPort := splitHostPort(srv.IMAPAddr())
	smtpHost, smtpPort := splitHostPort(srv.SMTPAddr())
	ec.Mailboxes = append(ec.Mailboxes, email.MailboxConfig{
		Name: d.Address, Address: d.Address, Host: imapHost, Port: imapPort, Security: "none",
		User: d.Address, Password: devmail.DefaultPassword, Processed: "Processed",
	})
	if ec.SMTP.Host == "" {
		ec.SMTP = email.SMTPConfig{Host: smtpHost, Port: smtpPort, Security: "none"}
	}
	g.log.Info("devmail: development mail server started: mail "+d.Address+" over SMTP, read replies over IMAP as the customer",
		"smtp", srv.SMTPAddr(), "imap", srv.IMAPAddr(), "password", devmail.DefaultPassword)
	return nil
}

func splitHostPort(addr string) (string, int) {
	host, port, _ := net.SplitHostPort(addr)
	n, _ := strconv.Atoi(port)
	return host, n
}
