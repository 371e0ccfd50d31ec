// Package policy holds support procedures as versioned decision graphs: the types, the loader
// for YAML and JSON, the validator, the engine that runs and resumes them, and the test-case
// format that proves them.
package policy

import (
	"time"
)

// Policy is one version of a support procedure: a directed acyclic graph of named nodes.
type Policy struct {
	// Name identifies the policy across versions.
	Name        string `yaml:"policy" json:"policy"`
	Version     int    `yaml:"version,omitempty" json:"version,omitempty"`
	Description string `yaml:"description,omitempty" json:"description,omitempty"`
	// Intents are the intents this policy serves.
	Intents []string `yaml:"intents,omitempty" json:"intents,omitempty"`
	// Hydrations declare the data the policy may use, fetched on first use.
	Hydrations map[string]*Hydration `yaml:"hydrations,omitempty" json:"hydrations,omitempty"`
	// Start names the first node.
	Start string           `yaml:"start" json:"start"`
	Nodes map[string]*Node `yaml:"nodes" json:"nodes"`
}

// Hydration declares one piece of data: where it comes from and with which arguments.
// Exactly one of Plugin, Source and Static is set.
type Hydration struct {
	// Plugin names a plugin whose Hydrator (or typed service) answers Call.
	Plugin string `yaml:"plugin,omitempty" json:"plugin,omitempty"`
	// Source names a built-in or registered source, such as "message".
	Source string `yaml:"source,omitempty" json:"source,omitempty"`
	// Static is a literal value, for fixtures and constants.
	Static any    `yaml:"static,omitempty" json:"static,omitempty"`
	Call   string `yaml:"call,omitempty" json:"call,omitempty"`
	// Args are expressions; those naming other hydrations make them dependencies.
	Args map[string]string `yaml:"args,omitempty" json:"args,omitempty"`
	// Timeout bounds one fetch; zero takes the engine's default.
	Timeout Duration `yaml:"timeout,omitempty" json:"timeout,omitempty"`
}

// Node is one step of a policy. Exactly one of Decide, Ask, Do, Call and End says its kind.
type Node struct {
	Description string `yaml:"description,omitempty" json:"description,omitempty"`

	// Decide chooses the next node by ordered conditions or by an executor.
	Decide *Decide `yaml:"decide,omitempty" json:"decide,omitempty"`
	// Ask suspends the run until the customer answers.
	Ask *Ask `yaml:"ask,omitempty" json:"ask,omitempty"`
	// Do runs an action ("crm.AssignCase", "handoff", "set") or, as "executor.NAME", an
	// executor whose variables flow on.
	Do string `yaml:"do,omitempty" json:"do,omitempty"`
	// Call runs another policy and continues at Goto when it ends.
	Call string `yaml:"call,omitempty" json:"call,omitempty"`
	// End finishes the run with this resolution code.
	End string `yaml:"end,omitempty" json:"end,omitempty"`

	// Args are the action's arguments, as expressions.
	Args map[string]string `yaml:"args,omitempty" json:"args,omitempty"`
	// Select names the values an executor of a `do` node receives, as expressions.
	Select map[string]string `yaml:"select,omitempty" json:"select,omitempty"`
	// Say is text for the customer, sent when the node runs (on end, do and call nodes).
	Say string `yaml:"say,omitempty" json:"say,omitempty"`
	// CSAT asks for a satisfaction rating after an end node.
	CSAT bool `yaml:"csat,omitempty" json:"csat,omitempty"`
	// Goto is the next node of do and call nodes.
	Goto string `yaml:"goto,omitempty" json:"goto,omitempty"`
	// OnError is taken when the node's action, executor or a hydration it needs fails;
	// without it such a failure fails the run.
	OnError string `yaml:"on_error,omitempty" json:"on_error,omitempty"`
}

// Decide is either a list of conditions, tried in order, or an executor with a branch map.
type Decide struct {
	Conditions []Condition `yaml:"-" json:"-"`
	// Executor names the executor; Select the values it receives; Branches maps the branch
	// it answers to a node; Else is taken for any other branch.
	Executor string            `yaml:"executor,omitempty" json:"executor,omitempty"`
	Select   map[string]string `yaml:"select,omitempty" json:"select,omitempty"`
	Branches map[string]string `yaml:"branches,omitempty" json:"branches,omitempty"`
	Else     string            `yaml:"else,omitempty" json:"else,omitempty"`
}

// Condition is one line of a decide list: when When holds, go to Goto. A last line with only
// Else is taken when nothing before it held.
type Condition struct {
	When string `yaml:"when,omitempty" json:"when,omitempty"`
	Goto string `yaml:"goto,omitempty" json:"goto,omitempty"`
	Else string `yaml:"else,omitempty" json:"else,omitempty"`
}

// Ask is a question for the customer, written once for every channel with optional
// per-channel refinements.
type Ask struct {
	Text string `yaml:"text,omitempty" json:"text,omitempty"`
	// Choices each lead to their own node.
	Choices []Choice `yaml:"choices,omitempty" json:"choices,omitempty"`
	// Form collects named fields; its answer is a map by field name.
	Form []Field `yaml:"form,omitempty" json:"form,omitempty"`
	// Goto is the next node after a form or a free-text answer.
	Goto string `yaml:"goto,omitempty" json:"goto,omitempty"`
	// Voice refines the question for IVR channels; Screen and Chat for in-app and web chat.
	Voice  *Voice         `yaml:"voice,omitempty" json:"voice,omitempty"`
	Screen map[string]any `yaml:"screen,omitempty" json:"screen,omitempty"`
	Chat   map[string]any `yaml:"chat,omitempty" json:"chat,omitempty"`
	// Error is shown with the question when it is asked again after invalid input, and
	// FieldErrors says what is wrong with each form field.
	Error       string            `yaml:"-" json:"error,omitempty"`
	FieldErrors map[string]string `yaml:"-" json:"field_errors,omitempty"`
}

// Choice is one allowed answer of an ask node.
type Choice struct {
	Value string `yaml:"value" json:"value"`
	Label string `yaml:"label,omitempty" json:"label,omitempty"`
	Goto  string `yaml:"goto" json:"goto"`
}

// Field is one input of a form.
type Field struct {
	Name  string `yaml:"name" json:"name"`
	Label string `yaml:"label,omitempty" json:"label,omitempty"`
	// Type is "text" (the default), "number", "email", "phone" or "date".
	Type     string `yaml:"type,omitempty" json:"type,omitempty"`
	Required bool   `yaml:"required,omitempty" json:"required,omitempty"`
	// Max is the longest accepted answer in characters; zero means the engine's limit.
	Max int `yaml:"max,omitempty" json:"max,omitempty"`
	// Pattern is a regular expression the whole answer must match.
	Pattern string `yaml:"pattern,omitempty" json:"pattern,omitempty"`
}

// Voice is the spoken form of a question.
type Voice struct {
	Say   string `yaml:"say,omitempty" json:"say,omitempty"`
	SSML  string `yaml:"ssml,omitempty" json:"ssml,omitempty"`
	Audio string `yaml:"audio,omitempty" json:"audio,omitempty"`
	// DTMF maps keys to choice values.
	DTMF  map[string]string `yaml:"dtmf,omitempty" json:"dtmf,omitempty"`
	Hints []string          `yaml:"hints,omitempty" json:"hints,omitempty"`
}

// Kind is what a node does.
type Kind string

// The node kinds.
const (
	KindDecide Kind = "decide"
	KindAsk    Kind = "ask"
	KindDo     Kind = "do"
	KindCall   Kind = "call"
	KindEnd    Kind = "end"
)

// Kind returns the node's kind, or "" when it sets none or several (the validator says which).
func (n *Node) Kind() Kind {
	var k Kind
	count := 0
	if n.Decide != nil {
		k, count = KindDecide, count+1
	}
	if n.Ask != nil {
		k, count = KindAsk, count+1
	}
	if n.Do != "" {
		k, count = KindDo, count+1
	}
	if n.Call != "" {
		k, count = KindCall, count+1
	}
	if n.End != "" {
		k, count = KindEnd, count+1
	}
	if count != 1 {
		return ""
	}
	return k
}

// Duration is a time.Duration written as "2s" or "500ms".
type Duration time.Duration
