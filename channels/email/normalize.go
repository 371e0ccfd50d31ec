package email

import (
	"time"

	"github.com/frontdeskhq/frontdesk/channels/email/mime"
	"github.com/frontdeskhq/frontdesk/core/message"
	"github.com/frontdeskhq/frontdesk/core/router"
)

// Normalize turns a raw mail from a mailbox into the message every channel speaks: the
// customer's cleaned words, the sender as the contact, attachment metadata, the Message-ID,
// and the mail's idempotency key under Metadata["key"]. It fails only for an empty mail
// (mime.ErrEmpty).
func Normalize(mailbox string, raw []byte, lim mime.Limits) (message.Message, *mime.Mail, error) {
	m, err := mime.Parse(raw, lim)
	if err != nil {
		return message.Message{}, nil, err
	}
	text := m.Text
	if r := []rune(text); len(r) > router.MaxTextLength {
		text = string(r[:router.MaxTextLength])
	}
	msg := message.Message{
		ID: m.MessageID, Channel: message.ChannelEmail, Text: text, Attachments: m.Attachments,
		Contact:    message.Contact{Email: m.From.Email, Name: m.From.Name},
		ReceivedAt: time.Now().UTC(),
		Metadata:   map[string]string{"mailbox": mailbox, "key": MailKey(mailbox, m)},
	}
	return msg, m, nil
}
