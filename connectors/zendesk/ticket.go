package zendesk

import (
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/frontdeskhq/frontdesk/sdk/plugin"
)

// ticket is the part of a Zendesk ticket the connector reads.
type ticket struct {
	ID           int64         `json:"id"`
	ExternalID   *string       `json:"external_id"`
	Subject      string        `json:"subject"`
	Status       string        `json:"status"`
	GroupID      *int64        `json:"group_id"`
	AssigneeID   *int64        `json:"assignee_id"`
	CustomFields []customField `json:"custom_fields"`
	CreatedAt    time.Time     `json:"created_at"`
	UpdatedAt    time.Time     `json:"updated_at"`
}

// customField is a custom field's value on a ticket. Values are strings, numbers, booleans,
// lists (multi-select) or null, by the field's type.
type customField struct {
	ID    int64 `json:"id"`
	Value any   `json:"value"`
}

// ticketEnvelope is the answer of show, create and update: {"ticket": {...}, "audit": {...}}.
type ticketEnvelope struct {
	Ticket *ticket `json:"ticket"`
}

// ticketList is one page of a ticket listing.
type ticketList struct {
	Tickets  []ticket `json:"tickets"`
	NextPage *string  `json:"next_page"`
	Count    int      `json:"count"`
}

var errNoTicket = errors.New("no ticket in the response")

// decodeTicket reads the {"ticket": ...} answer of show, create and update.
func decodeTicket(body []byte) (*ticket, error) {
	var env ticketEnvelope
	if err := json.Unmarshal(body, &env); err != nil {
		return nil, err
	}
	if env.Ticket == nil || env.Ticket.ID == 0 {
		return nil, errNoTicket
	}
	return env.Ticket, nil
}

// toCase turns a ticket into frontdesk's case, reading the configured custom fields.
func (c *Client) toCase(t *ticket) plugin.Case {
	cs := plugin.Case{
		ID:         strconv.FormatInt(t.ID, 10),
		Subject:    t.Subject,
		Status:     t.Status,
		Intent:     fieldString(t, c.cfg.IntentFieldID),
		Category:   fieldString(t, c.cfg.CategoryFieldID),
		CustomerID: fieldString(t, c.cfg.CustomerFieldID),
		URL:        fmt.Sprintf("%s/agent/tickets/%d", c.base, t.ID),
		Created:    t.CreatedAt,
		Updated:    t.UpdatedAt,
	}
	if t.ExternalID != nil {
		cs.ExternalID = *t.ExternalID
	}
	cs.Confidence, _ = strconv.ParseFloat(fieldString(t, c.cfg.ConfidenceFieldID), 64)
	if t.GroupID != nil {
		cs.Queue = strconv.FormatInt(*t.GroupID, 10)
	}
	if t.AssigneeID != nil {
		cs.Agent = strconv.FormatInt(*t.AssigneeID, 10)
	}
	return cs
}

// fieldString is a custom field's value as a string; "" when the field is not configured, not
// on the ticket or empty.
func fieldString(t *ticket, id int64) string {
	if id == 0 {
		return ""
	}
	for _, f := range t.CustomFields {
		if f.ID != id {
			continue
		}
		switch v := f.Value.(type) {
		case string:
			return v
		case float64:
			return strconv.FormatFloat(v, 'f', -1, 64)
		case bool:
			return strconv.FormatBool(v)
		}
	}
	return ""
}
