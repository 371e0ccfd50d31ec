package main

import "context"

// Broadcast topics of reloads: a reload asked of one instance reaches every instance.
const (
	topicModel    = "model"
	topicPolicies = "policies"
)

// ReloadEverywhere reloads the intent model here, reporting a failure to the caller, and then
// tells every other instance to reload it too.
func (g *gateway) ReloadEverywhere(ctx context.Context) error {
	return g.reloadEverywhere(ctx, topicModel, func(context.Context) error { return g.Reload() })
}

// reloadPoliciesEverywhere serves the store's policy versions again here and on every other
// instance, after a Studio change such as a promotion or a rollback. Instances also re-read the
// store every studio.reload_interval, in case an announcement is missed.
func (g *gateway) reloadPoliciesEverywhere(ctx context.Context) error {
	return g.reloadEverywhere(ctx, topicPolicies, g.policies.Reload)
}

func (g *gateway) reloadEverywhere(ctx context.Context, topic string, reload func(context.Context) error) error {
	if err := reload(ctx); err != nil {
		return err
	}
	return g.bus.Publish(ctx, topic, []byte(g.instance))
}

// followReloads reloads what another instance announces it reloaded.
func (g *gateway) followReloads(ctx context.Context) error {
	follow := func(topic string, reload func(context.Context) error) error {
		return g.bus.Subscribe(ctx, topic, func(from []byte) {
			if string(from) == g.instance {
				return
			}
			if err := reload(ctx); err != nil {
				g.log.Error("a reload announced by another instance failed; what was loaded keeps serving", "what", topic, "from", string(from), "err", err)
				return
			}
			g.log.Info("reloaded, as announced by another instance", "what", topic, "from", string(from))
		})
	}
	if g.model != nil {
		if err := follow(topicModel, func(context.Context) error { return g.Reload() }); err != nil {
			return err
		}
	}
	if g.policies != nil {
		return follow(topicPolicies, g.policies.Reload)
	}
	return nil
}
