package store

import (
	"context"
	"time"
)

// PolicyInfo is what describes a policy apart from its versions: the metadata the Policy
// Studio edits and lists policies by.
type PolicyInfo struct {
	// Name identifies the policy (the `policy:` field of its versions) and never changes.
	Name string
	// Title is the name people read.
	Title       string
	Description string
	Category    string
	// Country and Channel say where the policy applies, for filtering; empty means anywhere.
	Country   string
	Channel   string
	UpdatedAt time.Time
}

// PolicyInfos keeps the metadata of policies.
type PolicyInfos interface {
	// PolicyInfo returns the policy's metadata, or ErrNotFound when none was stored.
	PolicyInfo(ctx context.Context, name string) (PolicyInfo, error)
	// PutPolicyInfo creates or replaces the policy's metadata.
	PutPolicyInfo(ctx context.Context, info PolicyInfo) error
	// ListPolicyInfos returns the metadata of every policy that has some, by name.
	ListPolicyInfos(ctx context.Context) ([]PolicyInfo, error)
}

// Experiment maps segments of contacts to versions of one policy. Which contact falls in which
// arm is decided by package core/experiment; the store only keeps the definition.
type Experiment struct {
	Name   string
	Policy string
	// Enabled experiments steer live traffic; at most one per policy.
	Enabled   bool
	Arms      []ExperimentArm
	CreatedBy string
	CreatedAt time.Time
	UpdatedAt time.Time
}

// ExperimentArm sends the contacts whose bucket is in [From, To) and who match its
// conditions to Version.
type ExperimentArm struct {
	Version int `json:"version"`
	From    int `json:"from"`
	To      int `json:"to"`
	// Countries and Channels, when set, restrict the arm to contacts of those countries
	// (contact attribute "country") and messages of those channels.
	Countries []string `json:"countries,omitempty"`
	Channels  []string `json:"channels,omitempty"`
}

// Experiments keeps experiments.
type Experiments interface {
	// CreateExperiment stores a new experiment; a name already used gives ErrExists.
	CreateExperiment(ctx context.Context, e Experiment) (Experiment, error)
	// Experiment returns one experiment, or ErrNotFound.
	Experiment(ctx context.Context, name string) (Experiment, error)
	// ListExperiments returns the experiments of a policy ("" for every policy), by name.
	ListExperiments(ctx context.Context, policy string) ([]Experiment, error)
	// SetExperimentEnabled enables or disables an experiment. Enabling one while another of
	// the same policy is enabled gives ErrExists.
	SetExperimentEnabled(ctx context.Context, name string, enabled bool) (Experiment, error)
}

// PathCount counts the runs of one version that took one path.
type PathCount struct {
	Version int
	Path    []string
	Runs    int64
	// CSATRuns counts the runs with a score, CSATMean is their mean score.
	CSATRuns int64
	CSATMean float64
}

// RunPaths answers the path questions of analytics.
type RunPaths interface {
	// PathCounts groups the runs of the policy by version and path, most frequent first
	// within a version, versions ascending.
	PathCounts(ctx context.Context, policy string, f RunFilter) ([]PathCount, error)
}
