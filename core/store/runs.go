package store

import (
	"context"
	"time"
)

// Run is the record of one policy run, kept for analytics: which path it took and how it
// ended.
type Run struct {
	// ID identifies the run; recording the same ID again changes nothing, so at-least-once
	// writers may retry.
	ID      string
	Policy  string
	Version int
	Channel string
	// Path lists the ids of the nodes the run visited, in order.
	Path []string
	// Outcome is the resolution code of the end node, or why the run stopped.
	Outcome string
	// HandedOff is true when a human team took over; false means the run was automated.
	HandedOff bool
	// CSAT is the customer's satisfaction score when given (see SetCSAT), else nil.
	CSAT *int
	// Latency is the time the run spent in frontdesk, waiting for the customer excluded.
	Latency time.Duration
	// Shadow marks runs made in shadow mode, which took no actions.
	Shadow bool
	// Experiment names the experiment that chose the version, if any.
	Experiment string
	// StartedAt defaults to the time of RecordRun when zero.
	StartedAt time.Time
}

// RunFilter narrows analytics queries; zero fields select everything.
type RunFilter struct {
	// Version selects one version; zero means all.
	Version int
	// Shadow selects shadow runs (true) or real ones (false); nil means both.
	Shadow *bool
	// Since and Until bound StartedAt: Since <= StartedAt < Until.
	Since time.Time
	Until time.Time
	// Experiment selects the runs of one experiment.
	Experiment string
}

// OutcomeCount aggregates the runs of one version that ended one way.
type OutcomeCount struct {
	Version   int
	Outcome   string
	HandedOff bool
	Runs      int64
	// CSATRuns counts the runs with a score, CSATMean is their mean score.
	CSATRuns int64
	CSATMean float64
	// LatencyMean is the mean latency of the runs.
	LatencyMean time.Duration
}

// Runs keeps run records and answers the analytics questions asked of them.
type Runs interface {
	// RecordRun stores a run; a second record with the same ID is ignored.
	RecordRun(ctx context.Context, r Run) error
	// SetCSAT records the customer's score for a run, or gives ErrNotFound.
	SetCSAT(ctx context.Context, runID string, score int) error
	// NodeHits counts, for each node, the runs of the policy that visited it (once per run).
	NodeHits(ctx context.Context, policy string, f RunFilter) (map[string]int64, error)
	// OutcomeCounts groups the runs of the policy by version, outcome and hand-off, ordered
	// by version, then outcome, then hand-off.
	OutcomeCounts(ctx context.Context, policy string, f RunFilter) ([]OutcomeCount, error)
}
