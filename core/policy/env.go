package policy

import "github.com/frontdeskhq/frontdesk/core/message"

// contactEnv is the contact as expressions read it: contact.customer_id, contact.email. The
// `source: message` hydration answers it too; its JSON names match, so a suspended run reads
// the same fields after it is restored.
type contactEnv struct {
	Email        string            `expr:"email" json:"email"`
	Phone        string            `expr:"phone" json:"phone"`
	PortalUserID string            `expr:"portal_user_id" json:"portal_user_id"`
	CustomerID   string            `expr:"customer_id" json:"customer_id"`
	Name         string            `expr:"name" json:"name"`
	Attributes   map[string]string `expr:"attributes" json:"attributes"`
}

func newContactEnv(c message.Contact) *contactEnv {
	return &contactEnv{Email: c.Email, Phone: c.Phone, PortalUserID: c.PortalUserID,
		CustomerID: c.CustomerID, Name: c.Name, Attributes: c.Attributes}
}

// messageEnv is the message of the turn as expressions read it: message.text, message.channel.
type messageEnv struct {
	ID          string            `expr:"id" json:"id"`
	Text        string            `expr:"text" json:"text"`
	Channel     string            `expr:"channel" json:"channel"`
	Locale      string            `expr:"locale" json:"locale"`
	Attachments int               `expr:"attachments" json:"attachments"`
	Metadata    map[string]string `expr:"metadata" json:"metadata"`
}

func newMessageEnv(m message.Message) *messageEnv {
	return &messageEnv{ID: m.ID, Text: m.Text, Channel: m.Channel, Locale: m.Locale,
		Attachments: len(m.Attachments), Metadata: m.Metadata}
}

// intentEnv is the recognition that chose the policy: intent.name, intent.confidence.
type intentEnv struct {
	Name       string  `expr:"name" json:"name"`
	Confidence float64 `expr:"confidence" json:"confidence"`
}
