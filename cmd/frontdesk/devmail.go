package main

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"
	"github.com/emersion/go-message/mail"
	"github.com/emersion/go-smtp"
	"github.com/spf13/cobra"

	"github.com/frontdeskhq/frontdesk/channels/email/devmail"
	"github.com/frontdeskhq/frontdesk/channels/email/mime"
)

// newDevmailCmd is `frontdesk devmail`: the development mail server, and a client to send a
// mail to it and read a mailbox in it.
func newDevmailCmd() *cobra.Command {
	var imapAddr, smtpAddr string
	cmd := &cobra.Command{
		Use:   "devmail",
		Short: "Run a development mail server (IMAP and SMTP in memory), send to it, read from it",
		Long: `devmail runs an IMAP server and an SMTP server in memory: every mail sent to the SMTP
server lands in the IMAP inbox of each recipient, whose account is made on first use with the
password "devmail". Point an email.mailboxes entry at it (security: none), or set
email.devmail.enabled in the configuration to run the same server inside frontdesk serve.

  frontdesk devmail send --from alice@example.com "I lost my card"
  frontdesk devmail read alice@example.com`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			out := cmd.OutOrStdout()
			srv := devmail.New(devmail.Options{Delivered: func(from string, to []string, raw []byte) {
				subject := ""
				if m, err := mime.Parse(raw, mime.Limits{}); err == nil {
					subject = m.Subject
				}
				fmt.Fprintf(out, "%s  %s -> %s  %q\n", time.Now().Format("15:04:05"), from, strings.Join(to, ", "), subject)
			}})
			if err := srv.Start(imapAddr, smtpAddr); err != nil {
				return err
			}
			defer srv.Close()
			fmt.Fprintf(out, "devmail: SMTP on %s, IMAP on %s, every account's password is %q (Ctrl-C stops)\n",
				srv.SMTPAddr(), srv.IMAPAddr(), devmail.DefaultPassword)
			ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt, syscall.SIGTERM)
			defer stop()
			<-ctx.Done()
			return nil
		},
	}
	cmd.PersistentFlags().StringVar(&imapAddr, "imap", "127.0.0.1:1143", "IMAP address")
	cmd.PersistentFlags().StringVar(&smtpAddr, "smtp", "127.0.0.1:1025", "SMTP address")
	cmd.AddCommand(newDevmailSendCmd(&smtpAddr), newDevmailReadCmd(&imapAddr))
	return cmd
}

func newDevmailSendCmd(smtpAddr *string) *cobra.Command {
	var from, to, subject string
	cmd := &cobra.Command{
		Use:   "send TEXT",
		Short: "Send a plain-text mail through the devmail SMTP server",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if subject == "" {
				subject, _, _ = strings.Cut(args[0], "\n")
			}
			var h mail.Header
			h.SetDate(time.Now())
			h.SetAddressList("From", []*mail.Address{{Address: from}})
			h.SetAddressList("To", []*mail.Address{{Address: to}})
			h.SetSubject(subject)
			if err := h.GenerateMessageIDWithHostname("devmail.localhost"); err != nil {
				return err
			}
			h.SetContentType("text/plain", map[string]string{"charset": "utf-8"})
			var buf bytes.Buffer
			w, err := mail.CreateSingleInlineWriter(&buf, h)
			if err != nil {
				return err
			}
			io.WriteString(w, args[0]+"\n")
			if err := w.Close(); err != nil {
				return err
			}
			// devmail speaks plain SMTP on loopback, without STARTTLS.
			c, err := smtp.Dial(*smtpAddr)
			if err != nil {
				return fmt.Errorf("connect to %s: %w (is frontdesk devmail, or serve with email.devmail.enabled, running?)", *smtpAddr, err)
			}
			defer c.Close()
			if err := c.SendMail(from, []string{to}, &buf); err != nil {
				return fmt.Errorf("send to %s: %w", *smtpAddr, err)
			}
			if err := c.Quit(); err != nil {
				return err
			}
			id, _ := h.MessageID()
			fmt.Fprintf(cmd.OutOrStdout(), "sent <%s> from %s to %s\n", id, from, to)
			return nil
		},
	}
	cmd.Flags().StringVar(&from, "from", "alice@example.com", "sender")
	cmd.Flags().StringVar(&to, "to", "support@frontdesk.localhost", "recipient")
	cmd.Flags().StringVar(&subject, "subject", "", "subject (the first line of the text when empty)")
	return cmd
}

func newDevmailReadCmd(imapAddr *string) *cobra.Command {
	var folder string
	cmd := &cobra.Command{
		Use:   "read ADDRESS",
		Short: "Print the mails in a devmail account's folder: sender, subject and text",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			c, err := imapclient.DialInsecure(*imapAddr, nil)
			if err != nil {
				return fmt.Errorf("connect to %s: %w (is frontdesk devmail, or serve with email.devmail.enabled, running?)", *imapAddr, err)
			}
			defer c.Close()
			if err := c.Login(args[0], devmail.DefaultPassword).Wait(); err != nil {
				return err
			}
			sel, err := c.Select(folder, &imap.SelectOptions{ReadOnly: true}).Wait()
			if err != nil {
				return fmt.Errorf("%s: %w", folder, err)
			}
			out := cmd.OutOrStdout()
			if sel.NumMessages == 0 {
				fmt.Fprintf(out, "%s: no mail in %s\n", args[0], folder)
				return nil
			}
			msgs, err := c.Fetch(imap.SeqSet{{Start: 1, Stop: sel.NumMessages}}, &imap.FetchOptions{
				BodySection: []*imap.FetchItemBodySection{{Peek: true}}}).Collect()
			if err != nil {
				return err
			}
			for _, msg := range msgs {
				for _, raw := range msg.BodySection {
					m, err := mime.Parse(raw.Bytes, mime.Limits{})
					if err != nil {
						continue
					}
					fmt.Fprintf(out, "From: %s\nSubject: %s\nDate: %s\n\n%s\n\n----\n", m.From.Email, m.Subject,
						m.Date.Format(time.RFC1123Z), m.FullText)
				}
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&folder, "folder", "INBOX", "folder to read")
	return cmd
}
