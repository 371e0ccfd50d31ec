package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/frontdeskhq/frontdesk/core/lifecycle"
	"github.com/frontdeskhq/frontdesk/core/policy"
	"github.com/frontdeskhq/frontdesk/core/router"
	"github.com/frontdeskhq/frontdesk/core/shadow"
	"github.com/frontdeskhq/frontdesk/core/store"
)

// studioState is what the policy lifecycle keeps after start: the store versions come from,
// the environment bodies compile against, and the shadow runner.
type studioState struct {
	store  store.Store
	env    policy.Env
	shadow *shadow.Runner
}

// loadPolicies serves policies from the store: in dev mode the folder is imported first as
// Live versions. Live versions compile against the live sources wrapped to capture what they
// fetch; Shadow versions against sources that only replay those captures. Without a
// configured store, a temporary one holds the imported folder for this process.
func (g *gateway) loadPolicies(ctx context.Context, env policy.Env) error {
	st, err := g.policyStore(ctx)
	if err != nil {
		return err
	}
	names := make([]string, 0, len(env.Sources))
	for n := range env.Sources {
		names = append(names, n)
	}
	sort.Strings(names)
	live, shadowEnv := env, env
	live.Sources = shadow.Recording(env.Sources)
	shadowEnv.Sources = shadow.Replaying(names)
	g.studio = studioState{store: st, env: env}
	sc := g.cfg.Studio
	if sc.ImportsDir() {
		imported, err := lifecycle.ImportDir(ctx, st, g.cfg.Policies.Dir, env)
		if err != nil {
			return fmt.Errorf("policies (dev mode import of %s):\n%w", g.cfg.Policies.Dir, err)
		}
		if len(imported) > 0 {
			g.log.Info("dev mode: policies imported as Live versions", "dir", g.cfg.Policies.Dir, "policies", strings.Join(imported, ","))
		}
	}
	if g.policies, err = lifecycle.NewCatalog(ctx, st, live, shadowEnv, g.log.With("part", "policies")); err != nil {
		return fmt.Errorf("policies: %w", err)
	}
	g.studio.shadow = shadow.New(shadow.Config{
		Versions: g.policies.Shadow, Library: g.policies.ShadowLibrary(), Actions: env.Actions,
		Pure: router.BuiltinActions(g.log), Executors: env.Executors, Runs: st,
		QueueSize: sc.Shadow.Queue, Workers: sc.Shadow.Workers, Timeout: sc.Shadow.Timeout,
		Logger: g.log.With("part", "shadow"),
	})
	g.closers = append(g.closers, g.studio.shadow.Close)
	follow, stop := context.WithCancel(context.Background())
	go g.policies.Follow(follow, sc.ReloadInterval)
	g.closers = append(g.closers, func() error { stop(); return nil })
	return nil
}

// policyStore is the configured store, or a temporary SQLite file removed at close.
func (g *gateway) policyStore(ctx context.Context) (store.Store, error) {
	if g.store != nil {
		return g.store, nil
	}
	dir, err := os.MkdirTemp("", "frontdesk-policies-")
	if err != nil {
		return nil, err
	}
	st, err := store.OpenSQLite(ctx, filepath.Join(dir, "policies.db"))
	if err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	g.closers = append(g.closers, func() error { st.Close(); return os.RemoveAll(dir) })
	g.log.Warn("no store configured: policies are kept in a temporary store for this process", "path", dir)
	return st, nil
}

// serveVersions lets the router run experiments' versions and shadow runs.
func (g *gateway) serveVersions(rcfg *router.Config) {
	rcfg.Versions = g.policies
	rcfg.Shadow = g.studio.shadow
	if rcfg.Runs == nil {
		rcfg.Runs = g.studio.store
	}
}
