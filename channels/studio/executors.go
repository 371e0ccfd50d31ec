package studio

import "github.com/frontdeskhq/frontdesk/channels/admin"

// runExecutor is the admin API's executor playground behind the Studio's roles.
func (a *api) runExecutor(c *call) {
	admin.ExecutorPlayground(a.cfg.RunExecutor)(c.ctx)
}
