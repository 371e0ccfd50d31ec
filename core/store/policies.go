package store

import (
	"context"
	"fmt"
	"time"
)

// State is where a policy version is in its lifecycle: Draft -> Shadow -> Final -> Live.
type State string

// The lifecycle states. Draft and Shadow versions may be edited; Final and Live ones never
// change again, and a policy has at most one Live version.
const (
	StateDraft  State = "draft"
	StateShadow State = "shadow"
	StateFinal  State = "final"
	StateLive   State = "live"
)

// transitions lists the moves SetState allows. Shadow may go back to Draft for more edits;
// a Live version leaves Live only for Final (retired, or replaced by another Live one).
var transitions = map[State][]State{
	StateDraft:  {StateShadow},
	StateShadow: {StateDraft, StateFinal},
	StateFinal:  {StateLive},
	StateLive:   {StateFinal},
}

// CanTransition reports whether a version may move from one state to another.
func CanTransition(from, to State) bool {
	for _, s := range transitions[from] {
		if s == to {
			return true
		}
	}
	return false
}

// Valid reports whether s is one of the lifecycle states.
func (s State) Valid() bool {
	_, ok := transitions[s]
	return ok
}

// Mutable reports whether a version in state s may still be edited.
func (s State) Mutable() bool { return s == StateDraft || s == StateShadow }

// PolicyVersion is one numbered version of a policy, its body kept as the text it was
// authored in (YAML or JSON).
type PolicyVersion struct {
	Policy  string
	Version int
	State   State
	Body    string
	// Author is who created the version; the audit log has every later change.
	Author    string
	CreatedAt time.Time
	UpdatedAt time.Time
	// StateChangedAt is when the version entered its state, for rules such as "24 h in
	// shadow".
	StateChangedAt time.Time
}

// PolicySummary describes one policy: its newest version and its Live one (0 when none).
type PolicySummary struct {
	Name        string
	Latest      int
	LatestState State
	Live        int
}

// Policies keeps policies and their numbered versions.
type Policies interface {
	// CreateVersion stores body as the policy's next version, numbered from 1, in Draft.
	CreateVersion(ctx context.Context, policy, body, author string) (PolicyVersion, error)
	// UpdateVersion replaces the body of a Draft or Shadow version; a Final or Live one gives
	// ErrImmutable.
	UpdateVersion(ctx context.Context, policy string, version int, body string) (PolicyVersion, error)
	// SetState moves a version to another state (see CanTransition), or gives ErrTransition.
	// Making a version Live moves the policy's previous Live version to Final in the same
	// transaction.
	SetState(ctx context.Context, policy string, version int, to State) (PolicyVersion, error)
	// Version returns one version, or ErrNotFound.
	Version(ctx context.Context, policy string, version int) (PolicyVersion, error)
	// LiveVersion returns the policy's Live version, or ErrNotFound.
	LiveVersion(ctx context.Context, policy string) (PolicyVersion, error)
	// Versions returns every version of the policy, oldest first.
	Versions(ctx context.Context, policy string) ([]PolicyVersion, error)
	// ListPolicies returns a summary of every policy, by name.
	ListPolicies(ctx context.Context) ([]PolicySummary, error)
	// DeleteVersion removes a Draft version; others give ErrImmutable, because analytics and
	// audit refer to them.
	DeleteVersion(ctx context.Context, policy string, version int) error
}

// TestCase is one stored test of a policy, its body the case as authored (YAML or JSON).
type TestCase struct {
	Policy    string
	Name      string
	Body      string
	UpdatedAt time.Time
}

// TestCases keeps the test cases of policies.
type TestCases interface {
	// PutTestCase creates or replaces the named case of a policy.
	PutTestCase(ctx context.Context, tc TestCase) error
	// TestCases returns the policy's cases, by name.
	TestCases(ctx context.Context, policy string) ([]TestCase, error)
	// DeleteTestCase removes a case; removing a missing one is not an error.
	DeleteTestCase(ctx context.Context, policy, name string) error
}

func checkName(what, name string) error {
	if name == "" {
		return fmt.Errorf("%w: empty %s", ErrInvalid, what)
	}
	return nil
}
