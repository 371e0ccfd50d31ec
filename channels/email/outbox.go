package email

import (
	"bytes"
	"context"
	"crypto/tls"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"strconv"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"

	"github.com/frontdeskhq/frontdesk/core/queue"
	"github.com/frontdeskhq/frontdesk/core/session"
	"github.com/frontdeskhq/frontdesk/core/store"
)

// ReplyTopic is the queue topic of outgoing replies.
const ReplyTopic = "email.replies"

// Outbox sends replies through the work queue: Enqueue publishes, Run delivers over SMTP.
// A failed delivery is retried with the queue's backoff and ends in the dead-letter topic
// after the last try, so no reply is lost silently; a delivered reply is recorded in the
// store under its key before the queue message is acknowledged, so a redelivered or
// re-queued reply is not sent again. (A crash between the SMTP server's acceptance and that
// record sends the reply once more, with the same Message-ID: SMTP has no idempotency.)
type Outbox struct {
	Queue queue.Queue
	SMTP  SMTPConfig
	// Sent records delivered replies.
	Sent store.Cursors
	// Locks, when set, keeps two deliveries of one reply (queued twice after its mail was
	// handled again) from running at once, on every instance.
	Locks session.Store
	Log   *slog.Logger
	// Metrics counts deliveries; optional.
	Metrics *Metrics
	// Send delivers one mail; SMTP per SMTPConfig when nil.
	Send func(ctx context.Context, from string, to []string, msg []byte) error
}

// Enqueue publishes a reply for delivery.
func (o *Outbox) Enqueue(ctx context.Context, r Reply) error {
	payload, err := json.Marshal(r)
	if err != nil {
		return err
	}
	_, err = o.Queue.Publish(ctx, ReplyTopic, payload)
	return err
}

// Run delivers queued replies until ctx is done.
func (o *Outbox) Run(ctx context.Context) error {
	return o.Queue.Subscribe(ctx, ReplyTopic, o.deliver)
}

func sentKey(key string) string { return "email/sent/" + digest(key)[:32] }

func (o *Outbox) deliver(ctx context.Context, qm queue.Message) error {
	var r Reply
	if err := json.Unmarshal(qm.Payload, &r); err != nil {
		// A payload that cannot be read will not become readable: dead-letter it at once
		// by failing every delivery, with the reason.
		return fmt.Errorf("email: unreadable reply %s: %w", qm.ID, err)
	}
	if o.Locks != nil {
		lock := "email/sending/" + digest(r.Key)[:32]
		if _, err := o.Locks.CompareAndSet(ctx, lock, []byte(qm.ID), 0, o.SMTP.withDefaults().Timeout*2); err != nil {
			// Another delivery of this reply is under way: try again after it, and find it sent.
			return fmt.Errorf("email: reply %s: %w", r.Key, err)
		}
		defer o.Locks.Delete(context.WithoutCancel(ctx), lock)
	}
	if _, err := o.Sent.Cursor(ctx, sentKey(r.Key)); err == nil {
		o.Metrics.reply("duplicate")
		return nil
	} else if !errors.Is(err, store.ErrNotFound) {
		return err
	}
	body, err := r.Bytes()
	if err != nil {
		return err
	}
	send := o.Send
	if send == nil {
		send = o.SMTP.Send
	}
	if err := send(ctx, r.From, []string{r.To}, body); err != nil {
		o.logger().WarnContext(ctx, "reply not sent", "key", r.Key, "delivery", qm.Delivery, "err", err)
		o.Metrics.reply("failed")
		return fmt.Errorf("email: send reply %s: %w", r.Key, err)
	}
	if err := o.Sent.SetCursor(ctx, sentKey(r.Key), r.MessageID); err != nil {
		return err
	}
	o.Metrics.reply("sent")
	o.logger().InfoContext(ctx, "reply sent", "key", r.Key, "message_id", r.MessageID)
	return nil
}

func (o *Outbox) logger() *slog.Logger {
	if o.Log == nil {
		return slog.Default()
	}
	return o.Log
}

// Send delivers one mail over SMTP with the configured security and authentication.
func (s SMTPConfig) Send(ctx context.Context, from string, to []string, msg []byte) error {
	s = s.withDefaults()
	addr := net.JoinHostPort(s.Host, strconv.Itoa(s.Port))
	tlsCfg := &tls.Config{ServerName: s.Host, InsecureSkipVerify: s.InsecureSkipVerify} //nolint:gosec // opt-in for test servers
	d := net.Dialer{Timeout: s.Timeout}
	conn, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return err
	}
	var c *smtp.Client
	switch s.Security {
	case "tls":
		c = smtp.NewClient(tls.Client(conn, tlsCfg))
	case "starttls":
		if c, err = smtp.NewClientStartTLS(conn, tlsCfg); err != nil {
			conn.Close()
			return err
		}
	default:
		c = smtp.NewClient(conn)
	}
	defer c.Close()
	c.CommandTimeout, c.SubmissionTimeout = s.Timeout, s.Timeout
	if s.User != "" {
		if err := c.Auth(sasl.NewPlainClient("", s.User, s.Password)); err != nil {
			return err
		}
	}
	if err := c.SendMail(from, to, bytes.NewReader(msg)); err != nil {
		return err
	}
	return c.Quit()
}
