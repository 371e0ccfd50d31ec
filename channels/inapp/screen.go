package inapp

import (
	"strconv"

	"github.com/frontdeskhq/frontdesk/core/message"
	"github.com/frontdeskhq/frontdesk/core/router"
)

// Screen is what an in-app client shows: server-driven, described by screen.schema.json.
type Screen struct {
	// ID names the screen: the policy node that asks, or "rating" and "end".
	ID string `json:"id"`
	// Kind is one of the Kind constants.
	Kind string `json:"kind"`
	// Title is the screen's heading.
	Title string `json:"title,omitempty"`
	// Messages are what the service said on the way to this screen, in order.
	Messages []string `json:"messages,omitempty"`
	// Error says why the last input was not accepted; FieldErrors says it per input.
	Error       string            `json:"error,omitempty"`
	FieldErrors map[string]string `json:"field_errors,omitempty"`
	// Card holds the inputs and actions, an Adaptive Cards 1.5 subset; absent on end screens.
	Card       *Card      `json:"card,omitempty"`
	Navigation Navigation `json:"navigation"`
	// End and Handoff say how the flow finished, on end, rating and handoff screens.
	End     *message.End `json:"end,omitempty"`
	Handoff *Handoff     `json:"handoff,omitempty"`
}

// Kinds of screens.
const (
	// KindChoice asks to pick one answer: one Action.Submit per choice.
	KindChoice = "choice"
	// KindForm asks for a form's inputs.
	KindForm = "form"
	// KindText asks for a free-text answer in the input "text".
	KindText = "text"
	// KindRating asks for a satisfaction score 1..5 in the input "score".
	KindRating = "rating"
	// KindEnd says the flow is finished.
	KindEnd = "end"
	// KindHandoff says a colleague takes over.
	KindHandoff = "handoff"
)

// Navigation says where the client may go from a screen, as paths on this server. Empty
// paths mean the move is not possible.
type Navigation struct {
	// Submit is where the screen's input is posted.
	Submit string `json:"submit,omitempty"`
	// Back returns to the previous screen.
	Back string `json:"back,omitempty"`
	// Restart starts a new flow.
	Restart string `json:"restart"`
}

// Handoff names the team that takes over.
type Handoff struct {
	Team string `json:"team"`
}

// Screen ids of screens that are not policy nodes.
const (
	ScreenRating = "rating"
	ScreenEnd    = "end"
)

// rating is the input name of the satisfaction score.
const rating = "score"

const ratingQuestion = "How satisfied are you with how this went?"

// render turns the router's replies into the screen of flow id. csat says whether a score
// may still be given for the finished run.
func (c *Channel) render(id string, replies []message.Reply, csat bool) Screen {
	q, kind := at(replies, csat)
	s := Screen{ID: screenID(q, kind), Kind: kind, Navigation: Navigation{Restart: c.base + "/flows"}}
	for _, r := range replies {
		if r.Node == "" && r.Text != "" {
			s.Messages = append(s.Messages, r.Text)
		}
		if r.Handoff != nil {
			s.Handoff = &Handoff{Team: r.Handoff.Team}
		}
		if r.End != nil {
			s.End = r.End
		}
	}
	switch kind {
	case KindRating:
		s.Title, s.Card = ratingQuestion, ratingCard()
		s.Navigation.Submit = c.flowPath(id, "input")
	case KindEnd, KindHandoff:
	default:
		o := overridesOf(q.Screen)
		s.Title, s.Error, s.FieldErrors = firstNonEmpty(o.Title, q.Text), q.Error, q.FieldErrors
		s.Card = questionCard(*q, o)
		s.Navigation.Submit = c.flowPath(id, "input")
		if q.CanGoBack {
			s.Navigation.Back = c.flowPath(id, "back")
		}
	}
	return s
}

func (c *Channel) flowPath(id, action string) string {
	return c.base + "/flows/" + id + "/" + action
}

// questionCard renders a question as a card: choices as buttons, a form as inputs, else a
// text input.
func questionCard(q message.Reply, o overrides) *Card {
	card := newCard()
	card.text(firstNonEmpty(o.Title, q.Text), true)
	if o.Title != "" && q.Text != "" {
		card.text(q.Text, false)
	}
	if q.Error != "" {
		card.Body = append(card.Body, Element{Type: TypeTextBlock, Text: q.Error, Wrap: true, Color: "Attention"})
	}
	switch {
	case len(q.Choices) > 0:
		for _, ch := range q.Choices {
			card.Actions = append(card.Actions, Action{Type: TypeSubmit, Title: firstNonEmpty(ch.Label, ch.Value),
				Data: map[string]any{"choice": ch.Value}})
		}
		return card
	case len(q.Form) > 0:
		for _, f := range q.Form {
			card.Body = append(card.Body, input(f, o.Fields[f.Name], q.FieldErrors[f.Name]))
		}
		card.Actions = []Action{{Type: TypeSubmit, Title: firstNonEmpty(o.Submit, "Continue"), Style: "positive"}}
		return card
	}
	card.Body = append(card.Body, Element{Type: TypeText, ID: "text", IsRequired: true, IsMultiline: true,
		MaxLength: 4000, ErrorMessage: q.Error})
	card.Actions = []Action{{Type: TypeSubmit, Title: firstNonEmpty(o.Submit, "Send"), Style: "positive"}}
	return card
}

// input renders a form field as the Adaptive Cards input of its type.
func input(f message.Field, o fieldOverride, problem string) Element {
	e := Element{ID: f.Name, Label: firstNonEmpty(f.Label, f.Name), IsRequired: f.Required,
		Placeholder: o.Placeholder, ErrorMessage: problem}
	switch {
	case o.Input == TypeToggle:
		e.Type, e.Title, e.ValueOn, e.ValueOff = TypeToggle, e.Label, "true", "false"
	case o.Input == TypeChoiceSet && len(o.Choices) > 0:
		e.Type, e.Style = TypeChoiceSet, "compact"
		for _, ch := range o.Choices {
			e.Choices = append(e.Choices, CardChoice{Title: ch, Value: ch})
		}
	case f.Type == "number":
		e.Type = TypeNumber
	case f.Type == "date":
		e.Type = TypeDate
	default:
		e.Type, e.MaxLength = TypeText, f.Max
		if f.Pattern != "" {
			e.Regex = "^(?:" + f.Pattern + ")$"
		}
		switch f.Type {
		case "email":
			e.Style = "Email"
		case "phone":
			e.Style = "Tel"
		}
	}
	return e
}

func ratingCard() *Card {
	card := newCard()
	card.text(ratingQuestion, true)
	e := Element{Type: TypeChoiceSet, ID: rating, Label: "Your rating", IsRequired: true, Style: "expanded"}
	for score := router.MinCSAT; score <= router.MaxCSAT; score++ {
		v := strconv.Itoa(score)
		e.Choices = append(e.Choices, CardChoice{Title: v + " - " + ratingLabels[score-router.MinCSAT], Value: v})
	}
	card.Body = append(card.Body, e)
	card.Actions = []Action{{Type: TypeSubmit, Title: "Send rating", Style: "positive"}}
	return card
}

var ratingLabels = [...]string{"very unhappy", "unhappy", "neutral", "happy", "very happy"}

func firstNonEmpty(a, b string) string {
	if a != "" {
		return a
	}
	return b
}
