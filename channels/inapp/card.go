package inapp

// Card is an Adaptive Card (version 1.5) restricted to the elements in-app screens use:
// TextBlock, Input.Text, Input.ChoiceSet, Input.Number, Input.Date and Input.Toggle, and the
// action Action.Submit. Any Adaptive Cards 1.5 renderer can show it; a client that renders
// its own widgets reads the same fields.
type Card struct {
	Type    string    `json:"type"`
	Version string    `json:"version"`
	Schema  string    `json:"$schema,omitempty"`
	Body    []Element `json:"body"`
	Actions []Action  `json:"actions,omitempty"`
}

// Element is one body element: a TextBlock or an input. Which fields apply depends on Type,
// as in the Adaptive Cards schema.
type Element struct {
	Type string `json:"type"`
	// ID names an input; its value is submitted under this name.
	ID string `json:"id,omitempty"`
	// Text is a TextBlock's text.
	Text   string `json:"text,omitempty"`
	Wrap   bool   `json:"wrap,omitempty"`
	Weight string `json:"weight,omitempty"`
	Size   string `json:"size,omitempty"`
	Color  string `json:"color,omitempty"`

	Label        string `json:"label,omitempty"`
	Placeholder  string `json:"placeholder,omitempty"`
	IsRequired   bool   `json:"isRequired,omitempty"`
	ErrorMessage string `json:"errorMessage,omitempty"`
	// Value is the input's current value, as Adaptive Cards carries it: a string.
	Value string `json:"value,omitempty"`
	// Input.Text
	MaxLength   int    `json:"maxLength,omitempty"`
	Regex       string `json:"regex,omitempty"`
	Style       string `json:"style,omitempty"`
	IsMultiline bool   `json:"isMultiline,omitempty"`
	// Input.ChoiceSet
	Choices []CardChoice `json:"choices,omitempty"`
	// Input.Toggle
	Title    string `json:"title,omitempty"`
	ValueOn  string `json:"valueOn,omitempty"`
	ValueOff string `json:"valueOff,omitempty"`
}

// CardChoice is one choice of an Input.ChoiceSet.
type CardChoice struct {
	Title string `json:"title"`
	Value string `json:"value"`
}

// Action is an Action.Submit: pressing it posts the inputs' values, merged with Data, as
// the screen's input.
type Action struct {
	Type  string         `json:"type"`
	Title string         `json:"title"`
	Data  map[string]any `json:"data,omitempty"`
	// Style is "positive" for the main action, as Adaptive Cards has it.
	Style string `json:"style,omitempty"`
}

// Element and action types of the subset.
const (
	TypeTextBlock = "TextBlock"
	TypeText      = "Input.Text"
	TypeChoiceSet = "Input.ChoiceSet"
	TypeNumber    = "Input.Number"
	TypeDate      = "Input.Date"
	TypeToggle    = "Input.Toggle"
	TypeSubmit    = "Action.Submit"
)

func newCard() *Card {
	return &Card{Type: "AdaptiveCard", Version: "1.5", Schema: "http://adaptivecards.io/schemas/adaptive-card.json"}
}

func (c *Card) text(s string, heading bool) {
	e := Element{Type: TypeTextBlock, Text: s, Wrap: true}
	if heading {
		e.Weight, e.Size = "Bolder", "Medium"
	}
	c.Body = append(c.Body, e)
}
