// Package email is frontdesk's email channel. A Poller per mailbox fetches new mail over IMAP
// under a lease, so that one instance polls a mailbox at a time; Intake turns each mail into
// a CRM case (idempotently, by the mail's key), recognizes the intent and either routes the
// case to a team or replies with a signed link that continues the request in web chat; an
// Outbox sends replies over SMTP through the work queue, retried and never sent twice.
//
// A mail is handled at least once and in effect exactly once: every step is idempotent by
// a key derived from the mailbox and the mail (its Message-ID and a digest of its content),
// the mail is flagged or moved only after it was handled, and the mailbox cursor moves last.
package email

import (
	"errors"
	"fmt"
	"strings"
	"time"
)

// ErrUnprocessable marks a mail that cannot be handled however often it is tried: the CRM
// refuses its case as malformed. The poller passes over such a mail after a few tries and
// leaves it unread in the folder for a person.
var ErrUnprocessable = errors.New("email: mail cannot be processed")

// MailboxConfig is one shared inbox to poll.
type MailboxConfig struct {
	// Name identifies the mailbox in keys, logs and metrics; Address when empty.
	Name string `yaml:"name"`
	// Address is the mailbox's own address: replies come from it, and mail from it, or with
	// an X-Loop naming it, is never answered.
	Address string `yaml:"address"`
	Host    string `yaml:"host"`
	Port    int    `yaml:"port"`
	// Security is tls (implicit, port 993), starttls (port 143) or none (loopback only).
	Security string `yaml:"security"`
	User     string `yaml:"user"`
	// Password, or OAuthToken for XOAUTH2; write either as ${NAME} to take it from the
	// environment.
	Password   string `yaml:"password"`
	OAuthToken string `yaml:"oauth_token"`
	// Folder is polled (INBOX); Processed, when set, receives handled mail (MOVE, or COPY,
	// STORE and EXPUNGE where the server has no MOVE).
	Folder    string `yaml:"folder"`
	Processed string `yaml:"processed"`
	// MarkSeen flags handled mail \Seen; it is the default when Processed is empty.
	MarkSeen *bool `yaml:"mark_seen"`
	// PollInterval is how often the mailbox is polled when the server has no IDLE, and the
	// longest wait in IDLE before a poll anyway (1m).
	PollInterval time.Duration `yaml:"poll_interval"`
	// BatchSize is how many mails one FETCH asks for (50).
	BatchSize int `yaml:"batch_size"`
	// LeaseTTL is how long the instance polling the mailbox holds it without renewing: when
	// that instance dies, another takes the mailbox over within this time (15s).
	LeaseTTL time.Duration `yaml:"lease_ttl"`
	// InsecureSkipVerify accepts any TLS certificate: for test servers only.
	InsecureSkipVerify bool `yaml:"insecure_skip_verify"`
}

// withDefaults fills the zero fields.
func (m MailboxConfig) withDefaults() MailboxConfig {
	if m.Folder == "" {
		m.Folder = "INBOX"
	}
	if m.Name == "" {
		m.Name = m.Address
	}
	if m.MarkSeen == nil {
		seen := m.Processed == ""
		m.MarkSeen = &seen
	}
	if m.PollInterval <= 0 {
		m.PollInterval = time.Minute
	}
	if m.BatchSize <= 0 {
		m.BatchSize = 50
	}
	if m.Security == "" {
		m.Security = "tls"
	}
	if m.Port == 0 {
		m.Port = map[string]int{"tls": 993, "starttls": 143, "none": 143}[m.Security]
	}
	m.Address = strings.ToLower(m.Address)
	return m
}

// Check reports what is wrong with a mailbox configuration.
func (m MailboxConfig) Check() error {
	switch {
	case m.Address == "":
		return fmt.Errorf("address is required")
	case m.Host == "":
		return fmt.Errorf("host is required")
	case m.User == "":
		return fmt.Errorf("user is required")
	case m.Password == "" && m.OAuthToken == "":
		return fmt.Errorf("password or oauth_token is required")
	}
	switch m.Security {
	case "", "tls", "starttls", "none":
	default:
		return fmt.Errorf("security: %q is not one of tls, starttls, none", m.Security)
	}
	return nil
}

// SMTPConfig is the server replies are sent through.
type SMTPConfig struct {
	Host string `yaml:"host"`
	Port int    `yaml:"port"`
	// Security is tls (port 465), starttls (587) or none (loopback only).
	Security string `yaml:"security"`
	// User and Password authenticate with PLAIN; empty User sends without authentication.
	User               string `yaml:"user"`
	Password           string `yaml:"password"`
	InsecureSkipVerify bool   `yaml:"insecure_skip_verify"`
	// Timeout bounds one delivery (30s).
	Timeout time.Duration `yaml:"timeout"`
}

func (s SMTPConfig) withDefaults() SMTPConfig {
	if s.Security == "" {
		s.Security = "starttls"
	}
	if s.Port == 0 {
		s.Port = map[string]int{"tls": 465, "starttls": 587, "none": 25}[s.Security]
	}
	if s.Timeout <= 0 {
		s.Timeout = 30 * time.Second
	}
	return s
}

// Check reports what is wrong with an SMTP configuration.
func (s SMTPConfig) Check() error {
	if s.Host == "" {
		return fmt.Errorf("host is required")
	}
	switch s.Security {
	case "", "tls", "starttls", "none":
	default:
		return fmt.Errorf("security: %q is not one of tls, starttls, none", s.Security)
	}
	return nil
}
