package config

import (
	"errors"
	"time"
)

// Studio configures the policy lifecycle behind the Policy Studio (docs/studio.md): where Live
// versions come from, the promotion gate and shadow runs.
type Studio struct {
	// DevMode imports policies.dir into the store as Live versions at start, skipping the
	// gate, and logs each import in the audit log (what `make run` uses). Off, policies come
	// only from the store, through the Studio API or `frontdesk policy push`. On by default.
	DevMode *bool `yaml:"dev_mode"`
	// MinCoverage is the share of a version's nodes shadow runs must hit since its last change
	// before it may become Final (0.6); MinShadow the time it must spend in shadow (24h).
	MinCoverage float64       `yaml:"min_coverage"`
	MinShadow   time.Duration `yaml:"min_shadow"`
	// ReloadInterval is how often every instance checks the store for Live, Shadow and
	// experiment changes made through another instance (2s).
	ReloadInterval time.Duration `yaml:"reload_interval"`
	// Shadow bounds shadow runs, so they never slow the live path.
	Shadow Shadow `yaml:"shadow"`
}

// Shadow bounds the shadow runner (core/shadow).
type Shadow struct {
	// Queue is how many shadow runs may wait (256); more are dropped.
	Queue int `yaml:"queue"`
	// Workers run them (1).
	Workers int `yaml:"workers"`
	// Timeout bounds one shadow run (2s).
	Timeout time.Duration `yaml:"timeout"`
}

// ImportsDir reports whether dev mode imports policies.dir.
func (s Studio) ImportsDir() bool { return s.DevMode == nil || *s.DevMode }

func (s *Studio) defaults() {
	if s.MinCoverage == 0 {
		s.MinCoverage = 0.6
	}
	if s.MinShadow == 0 {
		s.MinShadow = 24 * time.Hour
	}
	if s.ReloadInterval == 0 {
		s.ReloadInterval = 2 * time.Second
	}
	if s.Shadow.Queue == 0 {
		s.Shadow.Queue = 256
	}
	if s.Shadow.Workers == 0 {
		s.Shadow.Workers = 1
	}
	if s.Shadow.Timeout == 0 {
		s.Shadow.Timeout = 2 * time.Second
	}
}

func (s Studio) check() error {
	var errs []error
	if s.MinCoverage < 0 || s.MinCoverage > 1 {
		errs = append(errs, errors.New("studio.min_coverage: a share from 0 to 1, such as 0.6"))
	}
	if s.MinShadow < 0 || s.ReloadInterval < 0 || s.Shadow.Timeout < 0 {
		errs = append(errs, errors.New("studio: min_shadow, reload_interval and shadow.timeout cannot be negative"))
	}
	if s.Shadow.Queue < 0 || s.Shadow.Workers < 0 || s.Shadow.Workers > 64 {
		errs = append(errs, errors.New("studio.shadow: queue must not be negative, workers from 1 to 64"))
	}
	return errors.Join(errs...)
}
