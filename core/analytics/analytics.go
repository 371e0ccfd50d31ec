// Package analytics answers how each version of a policy performs: runs, node hits, paths,
// outcomes, automation rate, CSAT by terminal node and latency, from the run records of the
// store, as JSON or CSV.
package analytics

import (
	"context"
	"sort"

	"github.com/frontdeskhq/frontdesk/core/store"
)

// Source is what a report is built from.
type Source interface {
	store.Runs
	store.RunPaths
}

// Report is the analytics of one policy, one entry per version and shadow flag.
type Report struct {
	Policy   string    `json:"policy"`
	Versions []Version `json:"versions"`
}

// Version is how one version did, in shadow runs or in real ones.
type Version struct {
	Version int   `json:"version"`
	Shadow  bool  `json:"shadow"`
	Runs    int64 `json:"runs"`
	// Automated runs ended without a human; AutomationRate is their share.
	Automated      int64            `json:"automated"`
	HandedOff      int64            `json:"handed_off"`
	AutomationRate float64          `json:"automation_rate"`
	LatencyMeanS   float64          `json:"latency_mean_s"`
	Outcomes       []Outcome        `json:"outcomes"`
	NodeHits       map[string]int64 `json:"node_hits"`
	Paths          []Path           `json:"paths"`
	CSATByTerminal []Terminal       `json:"csat_by_terminal"`
}

// Outcome counts the runs that ended one way.
type Outcome struct {
	Outcome   string  `json:"outcome"`
	HandedOff bool    `json:"handed_off"`
	Runs      int64   `json:"runs"`
	CSATRuns  int64   `json:"csat_runs"`
	CSATMean  float64 `json:"csat_mean"`
}

// Path counts the runs that took one path.
type Path struct {
	Path []string `json:"path"`
	Runs int64    `json:"runs"`
}

// Terminal is the satisfaction of the runs that ended at one node: CSAT is asked after an
// `end` node with csat: true, so scores belong to where the run ended.
type Terminal struct {
	Node     string  `json:"node"`
	Runs     int64   `json:"runs"`
	CSATRuns int64   `json:"csat_runs"`
	CSATMean float64 `json:"csat_mean"`
}

// Build reports on the runs of policy that f selects. Without f.Shadow, shadow and real runs
// are reported apart.
func Build(ctx context.Context, src Source, policy string, f store.RunFilter) (Report, error) {
	rep := Report{Policy: policy, Versions: []Version{}}
	flags := []bool{false, true}
	if f.Shadow != nil {
		flags = []bool{*f.Shadow}
	}
	for _, shadow := range flags {
		f.Shadow = &shadow
		vs, err := build(ctx, src, policy, f)
		if err != nil {
			return Report{}, err
		}
		rep.Versions = append(rep.Versions, vs...)
	}
	sort.SliceStable(rep.Versions, func(i, j int) bool { return rep.Versions[i].Version < rep.Versions[j].Version })
	return rep, nil
}

// build reports on one shadow flag, every version f selects.
func build(ctx context.Context, src Source, policy string, f store.RunFilter) ([]Version, error) {
	outcomes, err := src.OutcomeCounts(ctx, policy, f)
	if err != nil {
		return nil, err
	}
	paths, err := src.PathCounts(ctx, policy, f)
	if err != nil {
		return nil, err
	}
	byVersion := map[int]*Version{}
	var order []int
	get := func(v int) *Version {
		if s, ok := byVersion[v]; ok {
			return s
		}
		s := &Version{Version: v, Shadow: *f.Shadow, Outcomes: []Outcome{}, Paths: []Path{}, CSATByTerminal: []Terminal{}}
		byVersion[v] = s
		order = append(order, v)
		return s
	}
	latency := map[int]float64{}
	for _, o := range outcomes {
		s := get(o.Version)
		s.Runs += o.Runs
		if o.HandedOff {
			s.HandedOff += o.Runs
		} else {
			s.Automated += o.Runs
		}
		latency[o.Version] += o.LatencyMean.Seconds() * float64(o.Runs)
		s.Outcomes = append(s.Outcomes, Outcome{Outcome: o.Outcome, HandedOff: o.HandedOff, Runs: o.Runs, CSATRuns: o.CSATRuns, CSATMean: o.CSATMean})
	}
	terminals := map[int]map[string]*Terminal{}
	for _, p := range paths {
		s := get(p.Version)
		s.Paths = append(s.Paths, Path{Path: p.Path, Runs: p.Runs})
		if len(p.Path) == 0 {
			continue
		}
		if terminals[p.Version] == nil {
			terminals[p.Version] = map[string]*Terminal{}
		}
		node := p.Path[len(p.Path)-1]
		t := terminals[p.Version][node]
		if t == nil {
			t = &Terminal{Node: node}
			terminals[p.Version][node] = t
		}
		if n := t.CSATRuns + p.CSATRuns; n > 0 {
			t.CSATMean = (t.CSATMean*float64(t.CSATRuns) + p.CSATMean*float64(p.CSATRuns)) / float64(n)
		}
		t.Runs += p.Runs
		t.CSATRuns += p.CSATRuns
	}
	out := make([]Version, 0, len(order))
	for _, v := range order {
		s := byVersion[v]
		if s.Runs > 0 {
			s.AutomationRate = float64(s.Automated) / float64(s.Runs)
			s.LatencyMeanS = latency[v] / float64(s.Runs)
		}
		vf := f
		vf.Version = v
		if s.NodeHits, err = src.NodeHits(ctx, policy, vf); err != nil {
			return nil, err
		}
		for _, t := range terminals[v] {
			s.CSATByTerminal = append(s.CSATByTerminal, *t)
		}
		sort.Slice(s.CSATByTerminal, func(i, j int) bool { return s.CSATByTerminal[i].Node < s.CSATByTerminal[j].Node })
		out = append(out, *s)
	}
	return out, nil
}
