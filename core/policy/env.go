package policy

import "github.com/frontdeskhq/frontdesk/core/message"

// contactEnv is the contact as expressions read it: contact.customer_id, contact.email.
type contactEnv struct {
	Email        string            `expr:"email"`
	Phone        string            `expr:"phone"`
	PortalUserID string            `expr:"portal_user_id"`
	CustomerID   string            `expr:"customer_id"`
	Name         string            `expr:"name"`
	Attributes   map[string]string `expr:"attributes"`
}

func newContactEnv(c message.Contact) *contactEnv {
	return &contactEnv{Email: c.Email, Phone: c.Phone, PortalUserID: c.PortalUserID,
		CustomerID: c.CustomerID, Name: c.Name, Attributes: c.Attributes}
}

// messageEnv is the message of the turn as expressions read it: message.text, message.channel.
type messageEnv struct {
	ID          string            `expr:"id"`
	Text        string            `expr:"text"`
	Channel     string            `expr:"channel"`
	Locale      string            `expr:"locale"`
	Attachments int               `expr:"attachments"`
	Metadata    map[string]string `expr:"metadata"`
}

func newMessageEnv(m message.Message) *messageEnv {
	return &messageEnv{ID: m.ID, Text: m.Text, Channel: m.Channel, Locale: m.Locale,
		Attachments: len(m.Attachments), Metadata: m.Metadata}
}

// intentEnv is the recognition that chose the policy: intent.name, intent.confidence.
type intentEnv struct {
	Name       string  `expr:"name"`
	Confidence float64 `expr:"confidence"`
}
