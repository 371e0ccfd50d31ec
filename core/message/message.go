// Package message defines the types every channel speaks: the normalized inbound Message, the
// Reply a channel renders in its own way, the Contact who wrote, and the Conversation that ties
// turns together across instances.
package message

import (
	"encoding/json"
	"time"
)

// Channel names. A channel package uses its own name; the router only compares them.
const (
	ChannelAPI        = "api"
	ChannelEmail      = "email"
	ChannelWebchat    = "webchat"
	ChannelInapp      = "inapp"
	ChannelGenesys    = "genesys"
	ChannelTwilio     = "twilio"
	ChannelDialogflow = "dialogflow"
	ChannelAgent      = "agent"
)

// Message is one inbound turn from a customer, normalized from whatever the channel received.
type Message struct {
	// ID identifies the message for idempotency (an email's Message-ID, a platform's message id).
	ID string `json:"id,omitempty"`
	// Channel is the channel's name, such as "email" or "webchat".
	Channel string `json:"channel"`
	// ConversationID ties turns together. Channels derive it from their own session id; an
	// empty one starts a new conversation whose id the router assigns.
	ConversationID string `json:"conversation_id,omitempty"`
	// CaseID is the CRM case this message belongs to, when the channel already knows it.
	CaseID  string  `json:"case_id,omitempty"`
	Contact Contact `json:"contact"`
	// Text is what the customer wrote or said, cleaned by the channel (quotes and signatures
	// stripped from mail, speech recognized on voice).
	Text string `json:"text,omitempty"`
	// Intent, when set, names the intent the client already knows (an in-app menu entry, a
	// Dialogflow intent) and classification is skipped.
	Intent string `json:"intent,omitempty"`
	// Input carries a structured answer to a pending question: the chosen value under "choice",
	// or a form's fields by name. Free text answers arrive in Text.
	Input       map[string]any `json:"input,omitempty"`
	Attachments []Attachment   `json:"attachments,omitempty"`
	Locale      string         `json:"locale,omitempty"`
	ReceivedAt  time.Time      `json:"received_at,omitempty"`
	// Metadata holds channel-specific values (mailbox, platform session id) that the router
	// passes through and logs by key, never by content.
	Metadata map[string]string `json:"metadata,omitempty"`
}

// Contact identifies the customer by whatever the channel knows. Any field may be empty.
type Contact struct {
	Email        string `json:"email,omitempty"`
	Phone        string `json:"phone,omitempty"`
	PortalUserID string `json:"portal_user_id,omitempty"`
	CustomerID   string `json:"customer_id,omitempty"`
	Name         string `json:"name,omitempty"`
	// Attributes are segment attributes such as country, for experiments and conditions.
	Attributes map[string]string `json:"attributes,omitempty"`
}

// Key returns the most stable identifier of the contact, for bucketing and rate limits.
func (c Contact) Key() string {
	for _, k := range []string{c.CustomerID, c.PortalUserID, c.Email, c.Phone} {
		if k != "" {
			return k
		}
	}
	return ""
}

// Attachment describes an attachment. frontdesk keeps metadata only, never content.
type Attachment struct {
	Name        string `json:"name,omitempty"`
	ContentType string `json:"content_type,omitempty"`
	Size        int64  `json:"size"`
}

// Reply is one outbound turn. Text is always set to something a plain-text channel can show;
// the other fields refine the presentation for channels that can do more.
type Reply struct {
	Text    string   `json:"text,omitempty"`
	Choices []Choice `json:"choices,omitempty"`
	Form    []Field  `json:"form,omitempty"`
	Voice   *Voice   `json:"voice,omitempty"`
	// Screen and Chat are per-channel overrides from the policy, passed through as authored.
	Screen map[string]any `json:"screen,omitempty"`
	Chat   map[string]any `json:"chat,omitempty"`
	// Node is the policy node that produced the reply, so a client can answer it.
	Node string `json:"node,omitempty"`
	// Error explains why the previous input was not accepted (a failed validation).
	Error string `json:"error,omitempty"`
	// FieldErrors says, by form field name, what is wrong with each rejected field.
	FieldErrors map[string]string `json:"field_errors,omitempty"`
	// CanGoBack is set on a question when an earlier one can be asked again (Router.Back).
	CanGoBack bool `json:"can_go_back,omitempty"`
	// End is set on the last reply of a finished run.
	End *End `json:"end,omitempty"`
	// Handoff is set when the conversation goes to a human team.
	Handoff *Handoff `json:"handoff,omitempty"`
}

// Choice is one allowed answer to a question.
type Choice struct {
	Value string `json:"value"`
	Label string `json:"label,omitempty"`
}

// Field is one input of a form.
type Field struct {
	Name     string `json:"name"`
	Label    string `json:"label,omitempty"`
	Type     string `json:"type,omitempty"`
	Required bool   `json:"required,omitempty"`
	Max      int    `json:"max,omitempty"`
	Pattern  string `json:"pattern,omitempty"`
}

// Voice is the spoken presentation of a question.
type Voice struct {
	Say      string            `json:"say,omitempty"`
	SSML     string            `json:"ssml,omitempty"`
	AudioURL string            `json:"audio_url,omitempty"`
	DTMF     map[string]string `json:"dtmf,omitempty"`
	Hints    []string          `json:"hints,omitempty"`
}

// End reports how a run finished.
type End struct {
	Resolution string `json:"resolution"`
	CSAT       bool   `json:"csat,omitempty"`
}

// Handoff reports that a human team takes over, with what the automation knew.
type Handoff struct {
	Team       string      `json:"team"`
	Reason     string      `json:"reason,omitempty"`
	Intent     string      `json:"intent,omitempty"`
	Confidence float64     `json:"confidence,omitempty"`
	Candidates []Candidate `json:"candidates,omitempty"`
}

// Candidate is one intent the classifier considered.
type Candidate struct {
	Intent     string  `json:"intent"`
	Confidence float64 `json:"confidence"`
}

// Conversation is the short-lived state of one conversation, saved between turns so that any
// instance can serve the next one.
type Conversation struct {
	ID      string  `json:"id"`
	Channel string  `json:"channel"`
	Contact Contact `json:"contact"`
	CaseID  string  `json:"case_id,omitempty"`
	// Intent and Confidence are the recognition result that chose the running policy.
	Intent     string  `json:"intent,omitempty"`
	Confidence float64 `json:"confidence,omitempty"`
	// Policy and Version name the policy whose run is suspended, if any.
	Policy  string `json:"policy,omitempty"`
	Version int    `json:"version,omitempty"`
	// Experiment names the experiment that chose the version of the current run, if any.
	Experiment string `json:"experiment,omitempty"`
	// Run is the suspended run, serialized by the policy engine; empty when none waits.
	Run json.RawMessage `json:"run,omitempty"`
	// LastMessageID and LastReplies remember the last turn, so a redelivered message is
	// answered the same way and handled only once.
	LastMessageID string    `json:"last_message_id,omitempty"`
	LastReplies   []Reply   `json:"last_replies,omitempty"`
	Turns         int       `json:"turns"`
	CreatedAt     time.Time `json:"created_at"`
	UpdatedAt     time.Time `json:"updated_at"`
	// CSATRun is the last run that ended asking for a satisfaction score and has none yet;
	// empty when no score waits.
	CSATRun string `json:"csat_run,omitempty"`
	// Earlier holds the suspended run at each earlier question of the running policy, oldest
	// first, so that a channel can go back to them (Router.Back). Empty when going back would
	// undo an action already done.
	Earlier []Suspended `json:"earlier,omitempty"`
}

// Suspended is a run suspended at a question and the replies that asked it.
type Suspended struct {
	Run     json.RawMessage `json:"run"`
	Replies []Reply         `json:"replies,omitempty"`
}
