package main

import (
	"context"

	"github.com/frontdeskhq/frontdesk/channels/studio"
	"github.com/frontdeskhq/frontdesk/core/auth"
)

// mountStudio mounts the Studio JSON API (/v1/studio/), whose keys and roles are checked on
// every call; changes made through it serve at once on every instance.
func (g *gateway) mountStudio(context.Context) error {
	sc := g.cfg.Studio
	studio.Mount(g.server, studio.Config{
		Store: g.studio.store, Keys: &auth.APIKeys{Store: g.studio.store, AdminToken: g.cfg.Admin.Token}, Env: g.studio.env, Library: g.policies.Set,
		MinCoverage: sc.MinCoverage, MinShadow: sc.MinShadow,
		Changed: func(ctx context.Context) {
			if err := g.reloadPoliciesEverywhere(ctx); err != nil {
				g.log.Error("policies not reloaded after a Studio change; the previous ones keep serving", "err", err)
			}
		},
		RunExecutor: g.adminConfig().RunExecutor,
		Logger:      g.log.With("part", "studio"),
	})
	return nil
}
