package config

import (
	"errors"
	"fmt"
	"time"

	"github.com/frontdeskhq/frontdesk/channels/email"
)

// Email configures the email channel (docs/channels/email.md): the mailboxes polled over
// IMAP, the SMTP server replies go through, the reply templates and the limits.
type Email struct {
	// Devmail starts the development mail server (IMAP and SMTP in memory) inside serve and
	// points a mailbox and the SMTP settings at it: for trying the channel on one machine.
	Devmail Devmail `yaml:"devmail"`
	// Mailboxes are the shared inboxes to poll; passwords and tokens as ${NAME}.
	Mailboxes []email.MailboxConfig `yaml:"mailboxes"`
	SMTP      email.SMTPConfig      `yaml:"smtp"`
	// Templates are the link reply's subject, text and HTML (Go templates); built-in English
	// ones when empty.
	Templates email.TemplateConfig `yaml:"templates"`
	// LinkIntents are the intents answered with a link to web chat; the others, and every
	// intent when the list is empty and no policy serves it, are routed to their team.
	LinkIntents []string `yaml:"link_intents"`
	// RateLimit bounds automatic replies per sender (5 per hour).
	RateLimit EmailRateLimit `yaml:"rate_limit"`
	// MaxMailBytes caps the bytes of a mail that are read (25 MiB).
	MaxMailBytes int64 `yaml:"max_mail_bytes"`
}

// Devmail configures the in-process development mail server.
type Devmail struct {
	Enabled bool `yaml:"enabled"`
	// IMAP and SMTP are the addresses listened on (127.0.0.1:1143 and 127.0.0.1:1025).
	IMAP string `yaml:"imap"`
	SMTP string `yaml:"smtp"`
	// Address is the support mailbox (support@frontdesk.localhost).
	Address string `yaml:"address"`
}

// EmailRateLimit bounds automatic replies to one sender.
type EmailRateLimit struct {
	Max    int           `yaml:"max"`
	Window time.Duration `yaml:"window"`
}

// Enabled reports whether the email channel runs.
func (e Email) Enabled() bool { return e.Devmail.Enabled || len(e.Mailboxes) > 0 }

func (e *Email) defaults() {
	d := &e.Devmail
	if d.IMAP == "" {
		d.IMAP = "127.0.0.1:1143"
	}
	if d.SMTP == "" {
		d.SMTP = "127.0.0.1:1025"
	}
	if d.Address == "" {
		d.Address = "support@frontdesk.localhost"
	}
}

func (e Email) check() error {
	var errs []error
	names := map[string]bool{}
	for i, mb := range e.Mailboxes {
		if err := mb.Check(); err != nil {
			errs = append(errs, fmt.Errorf("email.mailboxes[%d]: %w", i, err))
		}
		name := mb.Name
		if name == "" {
			name = mb.Address
		}
		if names[name] {
			errs = append(errs, fmt.Errorf("email.mailboxes[%d]: the name %q is taken by another mailbox", i, name))
		}
		names[name] = true
	}
	if len(e.Mailboxes) > 0 {
		if err := e.SMTP.Check(); err != nil {
			errs = append(errs, fmt.Errorf("email.smtp: %w", err))
		}
	}
	if e.RateLimit.Max < 0 || e.RateLimit.Window < 0 || e.MaxMailBytes < 0 {
		errs = append(errs, errors.New("email: rate_limit and max_mail_bytes cannot be negative"))
	}
	if _, err := email.CompileTemplates(e.Templates); err != nil {
		errs = append(errs, fmt.Errorf("email.%w", err))
	}
	return errors.Join(errs...)
}
