// Package shadow runs a policy's Shadow version beside its live runs: with the same message and
// the hydration results the live run fetched, taking no actions, showing nothing to the
// customer, and answering every question with a random allowed input. Runs go through a
// bounded queue to workers with their own timeouts, so the live path never waits for a shadow
// run and never fails because of one; a full queue drops shadow runs, never live ones.
package shadow

import (
	"context"
	"log/slog"
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"time"

	"github.com/frontdeskhq/frontdesk/core/policy"
	"github.com/frontdeskhq/frontdesk/core/store"
)

// Config is what a Runner is built from. Versions and Runs are required.
type Config struct {
	// Versions returns the Shadow version of a policy, compiled with Replaying sources, or
	// false when the policy has none.
	Versions func(policy string) (*policy.Compiled, bool)
	// Library serves `call` nodes of shadow runs; it too must hold versions compiled with
	// Replaying sources. Nil fails call nodes.
	Library policy.Library
	// Actions names every action a policy may call; each answers success in shadow without
	// being called. Pure, the actions that only compute (setting variables), run for real.
	Actions policy.Actions
	Pure    policy.Actions
	// Executors serve executor nodes; executors are sandboxed computations without effects.
	Executors policy.Executors
	// Runs records the shadow runs (Shadow: true), whose node hits the promotion gate counts.
	Runs store.Runs
	// QueueSize bounds the runs waiting for a worker; 256 when zero. Workers is the number of
	// goroutines running them; 1 when zero.
	QueueSize int
	Workers   int
	// Timeout bounds one shadow run, every turn included; 2 s when zero.
	Timeout time.Duration
	// MaxTurns bounds the questions one shadow run answers; 50 when zero.
	MaxTurns int
	Logger   *slog.Logger
}

// Runner runs shadow versions. It implements router.Shadower.
type Runner struct {
	cfg     Config
	queue   chan job
	engine  *policy.Engine
	stop    context.CancelFunc
	ctx     context.Context
	wg      sync.WaitGroup
	dropped atomic.Int64
	done    atomic.Int64
}

type job struct {
	c       *policy.Compiled
	start   policy.Start
	capture *Capture
	liveRun string
}

// New starts a runner's workers; Close stops them.
func New(cfg Config) *Runner {
	if cfg.QueueSize == 0 {
		cfg.QueueSize = 256
	}
	if cfg.Workers == 0 {
		cfg.Workers = 1
	}
	if cfg.Timeout == 0 {
		cfg.Timeout = 2 * time.Second
	}
	if cfg.MaxTurns == 0 {
		cfg.MaxTurns = 50
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	r := &Runner{cfg: cfg, queue: make(chan job, cfg.QueueSize)}
	r.ctx, r.stop = context.WithCancel(context.Background())
	r.engine = &policy.Engine{Actions: shadowActions(cfg.Actions, cfg.Pure), Executors: cfg.Executors, Library: cfg.Library}
	if r.engine.Library == nil {
		r.engine.Library = noLibrary{}
	}
	for i := range cfg.Workers {
		r.wg.Add(1)
		go r.work(uint64(i))
	}
	return r
}

// Watch is called as a live run of c starts. When the policy has a Shadow version it returns
// a context that captures the live run's fetches and a function to call with the live run's
// first step, which queues the shadow run; otherwise ctx and nil.
func (r *Runner) Watch(ctx context.Context, c *policy.Compiled, start *policy.Start) (context.Context, func(*policy.Step)) {
	sc, ok := r.cfg.Versions(c.Policy.Name)
	if !ok {
		return ctx, nil
	}
	capture := NewCapture()
	st := *start
	return WithCapture(ctx, capture), func(step *policy.Step) {
		r.Offer(sc, st, capture, step.RunID)
	}
}

// Offer queues a shadow run of c and reports whether it was queued: a full queue, or a closed
// runner, drops it.
func (r *Runner) Offer(c *policy.Compiled, start policy.Start, capture *Capture, liveRun string) bool {
	if r.ctx.Err() != nil {
		return false
	}
	select {
	case r.queue <- job{c: c, start: start, capture: capture, liveRun: liveRun}:
		return true
	default:
		r.dropped.Add(1)
		return false
	}
}

// Stats returns how many shadow runs were done and how many were dropped for a full queue.
func (r *Runner) Stats() (done, dropped int64) { return r.done.Load(), r.dropped.Load() }

// Close stops the workers after the run in progress; queued runs are dropped.
func (r *Runner) Close() error {
	r.stop()
	r.wg.Wait()
	return nil
}

func (r *Runner) work(seed uint64) {
	defer r.wg.Done()
	rng := rand.New(rand.NewPCG(seed, uint64(time.Now().UnixNano())))
	for {
		select {
		case <-r.ctx.Done():
			return
		case j := <-r.queue:
			r.run(rng, j)
			r.done.Add(1)
		}
	}
}

// run walks the shadow version to its end, answering each question at random, and records it.
func (r *Runner) run(rng *rand.Rand, j job) {
	ctx, cancel := context.WithTimeout(WithCapture(r.ctx, j.capture), r.cfg.Timeout)
	defer cancel()
	began := time.Now()
	j.start.RunID = j.liveRun + "/shadow"
	step, st := r.engine.Run(ctx, j.c, j.start)
	handedOff := calledHandoff(step)
	turns := 0
	for step.Status == policy.Asking && turns < r.cfg.MaxTurns && ctx.Err() == nil {
		turns++
		msg := answer(rng, step.Ask)
		msg.Channel, msg.Contact = j.start.Message.Channel, j.start.Message.Contact
		step, st = r.engine.Resume(ctx, st, policy.Turn{Message: msg})
		handedOff = handedOff || calledHandoff(step)
	}
	outcome := ""
	switch {
	case step.Status == policy.Done:
		outcome = step.End.Resolution
	case step.Status == policy.Failed:
		outcome, handedOff = "failed", true
	case ctx.Err() != nil:
		outcome = "timeout"
	default:
		outcome = "too_many_turns"
	}
	// The record outlives Close by at most a second, so a run done is not lost to shutdown.
	rctx, rcancel := context.WithTimeout(context.WithoutCancel(r.ctx), time.Second)
	defer rcancel()
	err := r.cfg.Runs.RecordRun(rctx, store.Run{
		ID: j.start.RunID, Policy: j.c.Policy.Name, Version: j.c.Policy.Version, Channel: j.start.Message.Channel,
		Path: step.Path, Outcome: outcome, HandedOff: handedOff, Latency: time.Since(began), Shadow: true,
	})
	if err != nil {
		r.cfg.Logger.Warn("shadow run not recorded", "policy", j.c.Policy.Name, "version", j.c.Policy.Version, "err", err)
	}
}

// HandoffAction is the name of the action that hands a conversation to a human team; a
// shadow run that calls it counts as handed off.
const HandoffAction = "handoff"

func calledHandoff(step *policy.Step) bool {
	for _, a := range step.Actions {
		if a.Name == HandoffAction && a.Error == "" {
			return true
		}
	}
	return false
}
