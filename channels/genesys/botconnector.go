package genesys

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
)

// Bot states of a BotResponse.
const (
	// StateMoreData: the bot asked something and waits for the customer.
	StateMoreData = "MoreData"
	// StateComplete: the bot is done; the flow goes on (and branches on the parameters).
	StateComplete = "Complete"
	// StateFailed: the bot could not serve the turn; the flow takes its failure path.
	StateFailed = "Failed"
)

// BotRequest is what Genesys Cloud's Bot Connector posts for each customer turn.
type BotRequest struct {
	BotID        string       `json:"botId"`
	BotVersion   string       `json:"botVersion"`
	BotSessionID string       `json:"botSessionId"`
	MessageID    string       `json:"messageId"`
	InputMessage InputMessage `json:"inputMessage"`
	LanguageCode string       `json:"languageCode"`
	// BotSessionTimeout is in minutes.
	BotSessionTimeout     int    `json:"botSessionTimeout"`
	GenesysConversationID string `json:"genesysConversationId"`
	// Parameters are the flow's session variables, strings only.
	Parameters map[string]string `json:"parameters,omitempty"`
}

// InputMessage is the customer's turn: Text, or Structured with a button response.
type InputMessage struct {
	Type    string    `json:"type"`
	Text    string    `json:"text,omitempty"`
	Content []Content `json:"content,omitempty"`
}

// Content is a structured part of a message.
type Content struct {
	ContentType    string          `json:"contentType"`
	ButtonResponse *ButtonResponse `json:"buttonResponse,omitempty"`
	QuickReply     *QuickReply     `json:"quickReply,omitempty"`
}

// ButtonResponse is the button a customer chose: its payload is the choice's value.
type ButtonResponse struct {
	Type    string `json:"type"`
	Text    string `json:"text"`
	Payload string `json:"payload"`
}

// QuickReply is a button offered to the customer.
type QuickReply struct {
	Text    string `json:"text"`
	Payload string `json:"payload"`
	Action  string `json:"action"`
}

// BotResponse answers a BotRequest.
type BotResponse struct {
	BotState      string         `json:"botState"`
	ReplyMessages []ReplyMessage `json:"replyMessages,omitempty"`
	Intent        string         `json:"intent,omitempty"`
	Confidence    float64        `json:"confidence,omitempty"`
	// Entities are the slots of the intent: frontdesk fills resolution and team.
	Entities   []Entity          `json:"entities,omitempty"`
	Parameters map[string]string `json:"parameters,omitempty"`
	ErrorInfo  *ErrorInfo        `json:"errorInfo,omitempty"`
}

// ReplyMessage is one message to the customer: Text, or Structured with quick replies.
type ReplyMessage struct {
	Type    string    `json:"type"`
	Text    string    `json:"text,omitempty"`
	Content []Content `json:"content,omitempty"`
}

// Entity is a filled slot.
type Entity struct {
	Name  string      `json:"name"`
	Value EntityValue `json:"value"`
}

// EntityValue is a slot's value as the bot read it.
type EntityValue struct {
	Raw string `json:"raw"`
}

// ErrorInfo says why a turn failed.
type ErrorInfo struct {
	ErrorCode    string `json:"errorCode"`
	ErrorMessage string `json:"errorMessage"`
}

// ErrBadRequest wraps what is wrong with a Bot Connector request.
var ErrBadRequest = errors.New("genesys: bad request")

// DecodeBotRequest reads and checks a Bot Connector request.
func DecodeBotRequest(body []byte) (BotRequest, error) {
	var r BotRequest
	if err := json.Unmarshal(body, &r); err != nil {
		return r, fmt.Errorf("%w: %v", ErrBadRequest, err)
	}
	switch {
	case r.BotSessionID == "":
		return r, fmt.Errorf("%w: botSessionId is required", ErrBadRequest)
	case r.InputMessage.Type != "Text" && r.InputMessage.Type != "Structured":
		return r, fmt.Errorf("%w: inputMessage.type %q is not Text or Structured", ErrBadRequest, r.InputMessage.Type)
	}
	return r, nil
}

// Answer is what the customer answered: the button's payload, or the text.
func (r BotRequest) Answer() (choice, text string) {
	for _, c := range r.InputMessage.Content {
		if c.ButtonResponse != nil && c.ButtonResponse.Payload != "" {
			return c.ButtonResponse.Payload, ""
		}
		if c.QuickReply != nil && c.QuickReply.Payload != "" {
			return c.QuickReply.Payload, ""
		}
	}
	return "", strings.TrimSpace(r.InputMessage.Text)
}
