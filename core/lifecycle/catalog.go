package lifecycle

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/frontdeskhq/frontdesk/core/experiment"
	"github.com/frontdeskhq/frontdesk/core/message"
	"github.com/frontdeskhq/frontdesk/core/policy"
	"github.com/frontdeskhq/frontdesk/core/store"
)

// Catalog serves the policies of the store to the router: the Live versions by intent, the
// versions enabled experiments name, and each policy's Shadow version (compiled against the
// shadow environment, whose sources only replay). Reload compiles what changed; runs keep the
// snapshot they started with. It implements router.Policies and router.VersionChooser.
type Catalog struct {
	store Store
	env   policy.Env
	// shadowEnv compiles shadow versions: sources that replay the live run's fetches.
	shadowEnv policy.Env
	log       *slog.Logger
	cur       atomic.Pointer[snapshot]
	reloadMu  sync.Mutex
	// versions caches other versions compiled on demand (a run suspended under a version
	// that is no longer Live resumes with it), by "name@version".
	versions sync.Map
	// shadowLib serves `call` nodes of shadow runs: Live versions compiled with shadowEnv.
	shadowLib sync.Map
}

// Store is what a Catalog reads.
type Store interface {
	store.Policies
	store.Experiments
}

// snapshot is one consistent view of what serves.
type snapshot struct {
	set *policy.Set
	// shadow holds each policy's Shadow version, compiled against the shadow environment.
	shadow map[string]*policy.Compiled
	// experiments holds the enabled experiment of each policy.
	experiments map[string]*store.Experiment
	// signature says what the snapshot was built from, so an unchanged store is not
	// compiled again.
	signature string
}

// NewCatalog builds a catalog and loads the store's policies. A store with no Live version
// is not an error: messages then go to the human teams.
func NewCatalog(ctx context.Context, st Store, env, shadowEnv policy.Env, log *slog.Logger) (*Catalog, error) {
	if log == nil {
		log = slog.Default()
	}
	c := &Catalog{store: st, env: env, shadowEnv: shadowEnv, log: log}
	empty, _ := policy.NewSet()
	c.cur.Store(&snapshot{set: empty})
	if err := c.Reload(ctx); err != nil {
		return nil, err
	}
	return c, nil
}

// Reload reads the store and, when anything serving changed, compiles a new snapshot. On a
// compile error the previous snapshot keeps serving and the error is returned.
func (c *Catalog) Reload(ctx context.Context) error {
	c.reloadMu.Lock()
	defer c.reloadMu.Unlock()
	live, shadow, exps, sig, err := c.read(ctx)
	if err != nil {
		return err
	}
	if sig == c.cur.Load().signature {
		return nil
	}
	next := &snapshot{shadow: map[string]*policy.Compiled{}, experiments: map[string]*store.Experiment{}, signature: sig}
	var compiled []*policy.Compiled
	var errs []error
	for _, v := range live {
		cp, err := Compile(v, c.env)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		compiled = append(compiled, cp)
	}
	for _, v := range shadow {
		cp, err := Compile(v, c.shadowEnv)
		if err != nil {
			// A broken shadow version must not stop the live ones from serving.
			c.log.Warn("shadow version does not compile; it gets no shadow runs", "policy", v.Policy, "version", v.Version, "err", err)
			continue
		}
		next.shadow[v.Policy] = cp
	}
	if len(errs) > 0 {
		return fmt.Errorf("live policies do not compile; the previous ones keep serving:\n%w", errors.Join(errs...))
	}
	if next.set, err = policy.NewSet(compiled...); err != nil {
		return fmt.Errorf("live policies do not fit together; the previous ones keep serving:\n%w", err)
	}
	for i := range exps {
		e := &exps[i]
		next.experiments[e.Policy] = e
		for _, a := range e.Arms {
			if _, err := c.version(ctx, e.Policy, a.Version); err != nil {
				c.log.Warn("experiment arm names a version that does not compile; its contacts get the Live version", "experiment", e.Name, "version", a.Version, "err", err)
			}
		}
	}
	c.cur.Store(next)
	c.shadowLib.Clear()
	c.log.Info("policies loaded from the store", "live", strings.Join(next.set.Names(), ","), "shadow", len(next.shadow), "experiments", len(next.experiments))
	return nil
}

// read returns the Live and Shadow versions, the enabled experiments, and a signature of them.
func (c *Catalog) read(ctx context.Context) (live, shadow []store.PolicyVersion, exps []store.Experiment, sig string, err error) {
	summaries, err := c.store.ListPolicies(ctx)
	if err != nil {
		return nil, nil, nil, "", err
	}
	var b strings.Builder
	for _, s := range summaries {
		versions, err := c.store.Versions(ctx, s.Name)
		if err != nil {
			return nil, nil, nil, "", err
		}
		for _, v := range versions {
			switch v.State {
			case store.StateLive:
				live = append(live, v)
			case store.StateShadow:
				shadow = append(shadow, v)
			default:
				continue
			}
			fmt.Fprintf(&b, "%s@%d:%s:%d;", v.Policy, v.Version, v.State, v.UpdatedAt.UnixMicro())
		}
	}
	all, err := c.store.ListExperiments(ctx, "")
	if err != nil {
		return nil, nil, nil, "", err
	}
	for _, e := range all {
		if e.Enabled {
			exps = append(exps, e)
			fmt.Fprintf(&b, "x:%s:%d;", e.Name, e.UpdatedAt.UnixMicro())
		}
	}
	return live, shadow, exps, b.String(), nil
}

// Follow reloads every interval until ctx ends, so that changes made through another
// instance serve here too.
func (c *Catalog) Follow(ctx context.Context, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if err := c.Reload(ctx); err != nil && ctx.Err() == nil {
				c.log.Error("policy reload failed", "err", err)
			}
		}
	}
}

// ForIntent returns the Live version serving an intent.
func (c *Catalog) ForIntent(intent string) (*policy.Compiled, bool) {
	return c.cur.Load().set.ForIntent(intent)
}

// Names returns the names of the policies with a Live version, sorted.
func (c *Catalog) Names() []string { return c.cur.Load().set.Names() }

// Intents returns the intents the Live versions serve, sorted.
func (c *Catalog) Intents() []string { return c.cur.Load().set.Intents() }

// Set returns the Live versions as a set, for validation and tools.
func (c *Catalog) Set() *policy.Set { return c.cur.Load().set }

// Policy returns a version (0: the Live one). A version that is not serving is compiled from
// the store on first use and cached: versions that left Live never change again.
func (c *Catalog) Policy(name string, version int) (*policy.Compiled, bool) {
	s := c.cur.Load()
	if live, ok := s.set.Policy(name, 0); ok && (version == 0 || live.Policy.Version == version) {
		return live, true
	}
	if version == 0 {
		return nil, false
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	cp, err := c.version(ctx, name, version)
	if err != nil {
		c.log.Warn("policy version not available", "policy", name, "version", version, "err", err)
		return nil, false
	}
	return cp, true
}

// version compiles a non-Live version once.
func (c *Catalog) version(ctx context.Context, name string, version int) (*policy.Compiled, error) {
	k := fmt.Sprintf("%s@%d", name, version)
	if cp, ok := c.versions.Load(k); ok {
		return cp.(*policy.Compiled), nil
	}
	v, err := c.store.Version(ctx, name, version)
	if err != nil {
		return nil, err
	}
	if v.State.Mutable() {
		return nil, fmt.Errorf("%s is %s: only Final and Live versions serve customers", k, v.State)
	}
	cp, err := Compile(v, c.env)
	if err != nil {
		return nil, err
	}
	c.versions.Store(k, cp)
	return cp, nil
}

// Shadow returns the policy's Shadow version, compiled against the shadow environment.
func (c *Catalog) Shadow(name string) (*policy.Compiled, bool) {
	cp, ok := c.cur.Load().shadow[name]
	return cp, ok
}

// ShadowLibrary serves `call` nodes of shadow runs: the Live versions compiled against the
// shadow environment, so that a called policy cannot reach a plugin either.
func (c *Catalog) ShadowLibrary() policy.Library { return shadowLibrary{c} }

type shadowLibrary struct{ c *Catalog }

func (l shadowLibrary) Policy(name string, version int) (*policy.Compiled, bool) {
	if cp, ok := l.c.Shadow(name); ok && (version == 0 || cp.Policy.Version == version) {
		return cp, true
	}
	k := fmt.Sprintf("%s@%d", name, version)
	if cp, ok := l.c.shadowLib.Load(k); ok {
		return cp.(*policy.Compiled), true
	}
	live, ok := l.c.Policy(name, version)
	if !ok {
		return nil, false
	}
	cp, err := policy.Compile(live.Policy, live.Source, l.c.shadowEnv)
	if err != nil {
		return nil, false
	}
	l.c.shadowLib.Store(k, cp)
	return cp, true
}

// Choose gives the version an enabled experiment assigns to the message's contact, and the
// experiment's name; the Live version and "" otherwise.
func (c *Catalog) Choose(_ context.Context, live *policy.Compiled, msg *message.Message) (*policy.Compiled, string) {
	s := c.cur.Load()
	e, ok := s.experiments[live.Policy.Name]
	if !ok {
		return live, ""
	}
	v, ok := experiment.Choose(e, msg)
	if !ok || v == live.Policy.Version {
		return live, e.Name
	}
	cp, ok := c.versions.Load(fmt.Sprintf("%s@%d", live.Policy.Name, v))
	if !ok {
		return live, ""
	}
	return cp.(*policy.Compiled), e.Name
}
