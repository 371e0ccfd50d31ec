// Package devmail is a mail server for development and tests: an IMAP server on go-imap's
// in-memory backend and an SMTP server (go-smtp) that delivers every mail it accepts into the
// IMAP account of each recipient, so that frontdesk polls the support mailbox over IMAP,
// sends its replies over SMTP, and a person (or a test) reads those replies over IMAP as the
// customer. Every address has an account, made on first use, with the one shared password.
// It keeps everything in memory and is never meant to face the internet.
package devmail

import (
	"bytes"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"strings"
	"sync"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapserver"
	"github.com/emersion/go-imap/v2/imapserver/imapmemserver"
	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// DefaultPassword is the password of every account unless Options say otherwise.
const DefaultPassword = "devmail"

// Options configure a Server.
type Options struct {
	// Password of every account (DefaultPassword).
	Password string
	// Caps are the IMAP capabilities announced; IMAP4rev1 with IDLE, MOVE and UIDPLUS when
	// nil. Leave out MOVE to exercise a client's COPY, STORE and EXPUNGE fallback.
	Caps imap.CapSet
	// MaxMessageBytes bounds one mail over SMTP (50 MiB).
	MaxMessageBytes int64
	// Delivered, when set, is told of every mail delivered.
	Delivered func(from string, to []string, raw []byte)
	// ErrorLog receives the servers' connection errors; none are written when nil.
	ErrorLog io.Writer
	// TLS, when set, offers STARTTLS on both servers; with ImplicitTLS both listen with TLS
	// from the first byte instead (IMAPS, SMTPS).
	TLS         *tls.Config
	ImplicitTLS bool
	// RequireAuth makes the SMTP server refuse mail from clients that did not authenticate
	// (AUTH PLAIN with any user and the shared password).
	RequireAuth bool
}

// Server is a running pair of IMAP and SMTP servers over one in-memory store.
type Server struct {
	opts  Options
	mem   *imapmemserver.Server
	imap  *imapserver.Server
	smtp  *smtp.Server
	mu    sync.Mutex
	users map[string]*imapmemserver.User
	lns   []net.Listener
}

// New builds a server; Start listens.
func New(opts Options) *Server {
	if opts.Password == "" {
		opts.Password = DefaultPassword
	}
	if opts.Caps == nil {
		opts.Caps = imap.CapSet{imap.CapIMAP4rev1: {}, imap.CapIdle: {}, imap.CapMove: {}, imap.CapUIDPlus: {}}
	}
	if opts.MaxMessageBytes == 0 {
		opts.MaxMessageBytes = 50 << 20
	}
	if opts.ErrorLog == nil {
		opts.ErrorLog = io.Discard
	}
	errLog := log.New(opts.ErrorLog, "devmail: ", log.LstdFlags)
	s := &Server{opts: opts, mem: imapmemserver.New(), users: map[string]*imapmemserver.User{}}
	s.imap = imapserver.New(&imapserver.Options{
		NewSession: func(*imapserver.Conn) (imapserver.Session, *imapserver.GreetingData, error) {
			return &session{SessionIMAP4rev2: s.mem.NewSession().(imapserver.SessionIMAP4rev2), s: s}, nil, nil
		},
		Caps:         opts.Caps,
		TLSConfig:    opts.TLS,
		InsecureAuth: true,
		Logger:       errLog,
	})
	s.smtp = smtp.NewServer(smtp.BackendFunc(func(*smtp.Conn) (smtp.Session, error) { return &smtpSession{s: s}, nil }))
	s.smtp.Domain = "devmail.localhost"
	s.smtp.MaxMessageBytes = opts.MaxMessageBytes
	s.smtp.MaxRecipients = 100
	s.smtp.ReadTimeout, s.smtp.WriteTimeout = time.Minute, time.Minute
	s.smtp.AllowInsecureAuth = true
	s.smtp.ErrorLog = errLog
	s.smtp.TLSConfig = opts.TLS
	return s
}

// session makes the account of any address on its first login, so a newcomer can log in as
// the support mailbox or as a customer without setting anything up.
type session struct {
	imapserver.SessionIMAP4rev2
	s *Server
}

func (sess *session) Login(username, password string) error {
	sess.s.User(username)
	return sess.SessionIMAP4rev2.Login(strings.ToLower(username), password)
}

// Idle first reports what changed since the session's last command, as Dovecot and most
// servers do. go-imap's memory server alone holds back a mail delivered between a client's
// last command and its IDLE until something else changes, so a poller waiting in IDLE would
// see that mail only at its poll interval.
func (sess *session) Idle(w *imapserver.UpdateWriter, stop <-chan struct{}) error {
	if err := sess.Poll(w, true); err != nil {
		return err
	}
	return sess.SessionIMAP4rev2.Idle(w, stop)
}

// User returns the account of an address, making it (with an INBOX) on first use.
func (s *Server) User(addr string) *imapmemserver.User {
	addr = strings.ToLower(strings.Trim(addr, "<> "))
	s.mu.Lock()
	defer s.mu.Unlock()
	u, ok := s.users[addr]
	if !ok {
		u = imapmemserver.NewUser(addr, s.opts.Password)
		_ = u.Create("INBOX", nil)
		s.mem.AddUser(u)
		s.users[addr] = u
	}
	return u
}

// Deliver appends a raw mail to the INBOX of an address.
func (s *Server) Deliver(to string, raw []byte) error {
	_, err := s.User(to).Append("INBOX", literal{bytes.NewReader(raw)}, &imap.AppendOptions{Time: time.Now()})
	return err
}

type literal struct{ *bytes.Reader }

func (l literal) Size() int64 { return int64(l.Reader.Len()) }

// Start listens for IMAP and SMTP on the given addresses ("127.0.0.1:0" picks a port).
func (s *Server) Start(imapAddr, smtpAddr string) error {
	il, err := net.Listen("tcp", imapAddr)
	if err != nil {
		return fmt.Errorf("devmail: imap: %w", err)
	}
	sl, err := net.Listen("tcp", smtpAddr)
	if err != nil {
		il.Close()
		return fmt.Errorf("devmail: smtp: %w", err)
	}
	if s.opts.TLS != nil && s.opts.ImplicitTLS {
		il, sl = tls.NewListener(il, s.opts.TLS), tls.NewListener(sl, s.opts.TLS)
	}
	s.lns = []net.Listener{il, sl}
	go func() { _ = s.imap.Serve(il) }()
	go func() { _ = s.smtp.Serve(sl) }()
	return nil
}

// IMAPAddr and SMTPAddr are the addresses listened on, after Start.
func (s *Server) IMAPAddr() string { return s.lns[0].Addr().String() }

// SMTPAddr is the SMTP address listened on, after Start.
func (s *Server) SMTPAddr() string { return s.lns[1].Addr().String() }

// Close stops both servers.
func (s *Server) Close() error {
	return errors.Join(s.imap.Close(), s.smtp.Close())
}

// smtpSession accepts any sender and recipient and delivers on DATA.
type smtpSession struct {
	s      *Server
	authed bool
	from   string
	to     []string
}

func (ss *smtpSession) AuthMechanisms() []string { return []string{sasl.Plain} }

func (ss *smtpSession) Auth(string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(_, _, password string) error {
		if password != ss.s.opts.Password {
			return smtp.ErrAuthFailed
		}
		ss.authed = true
		return nil
	}), nil
}

func (ss *smtpSession) Reset()        { ss.from, ss.to = "", nil }
func (ss *smtpSession) Logout() error { return nil }

func (ss *smtpSession) Mail(from string, _ *smtp.MailOptions) error {
	if ss.s.opts.RequireAuth && !ss.authed {
		return smtp.ErrAuthRequired
	}
	ss.from = from
	return nil
}

func (ss *smtpSession) Rcpt(to string, _ *smtp.RcptOptions) error {
	ss.to = append(ss.to, to)
	return nil
}

func (ss *smtpSession) Data(r io.Reader) error {
	body, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	raw := append([]byte("Return-Path: <"+ss.from+">\r\n"), body...)
	for _, to := range ss.to {
		if err := ss.s.Deliver(to, raw); err != nil {
			return err
		}
	}
	if ss.s.opts.Delivered != nil {
		ss.s.opts.Delivered(ss.from, ss.to, raw)
	}
	return nil
}
