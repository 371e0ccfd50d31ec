package email

import (
	"strings"

	"github.com/frontdeskhq/frontdesk/channels/email/mime"
)

// noReplyReason says why a mail must not be answered automatically (RFC 3834 and the markers
// mailers use in practice), or "" when an automatic reply is allowed. The mail is still
// recorded on its case either way.
func noReplyReason(m *mime.Mail, self string) string {
	switch {
	case m.IsDeliveryReport:
		return "delivery status report (bounce)"
	case m.NullReturnPath:
		return "null Return-Path"
	case m.AutoSubmitted != "" && m.AutoSubmitted != "no":
		return "Auto-Submitted: " + m.AutoSubmitted
	case m.Precedence == "bulk" || m.Precedence == "list" || m.Precedence == "junk":
		return "Precedence: " + m.Precedence
	case m.AutoResponseSuppress != "":
		return "X-Auto-Response-Suppress: " + m.AutoResponseSuppress
	case m.ListID != "":
		return "mailing list (List-Id)"
	case m.From.Email == "":
		return "no sender address"
	case m.From.Email == self:
		return "sent by this mailbox"
	case isDaemon(m.From.Email):
		return "sent by a mail daemon"
	}
	for _, l := range m.XLoop {
		if strings.Contains(l, self) {
			return "X-Loop names this mailbox"
		}
	}
	return ""
}

// isDaemon recognizes the local parts of addresses that only machines write from.
func isDaemon(addr string) bool {
	local, _, _ := strings.Cut(addr, "@")
	switch local {
	case "mailer-daemon", "postmaster", "noreply", "no-reply", "donotreply", "do-not-reply":
		return true
	}
	return false
}
