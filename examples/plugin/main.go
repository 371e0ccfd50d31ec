// Command plugin is an example of a third-party frontdesk plugin, built only on sdk/plugin: a
// loyalty-points program served as a Hydrator. See README.md for how to build it, list it in
// frontdesk's configuration and use it from a policy.
package main

import (
	"fmt"
	"log/slog"
	"os"

	"github.com/frontdeskhq/frontdesk/sdk/plugin"
)

func main() {
	log := plugin.Logger(slog.LevelInfo)
	data := pointsJSON
	// LOYALTY_DATA points at another data file of the same shape as points.json.
	if path := os.Getenv("LOYALTY_DATA"); path != "" {
		var err error
		if data, err = os.ReadFile(path); err != nil {
			fmt.Fprintln(os.Stderr, "loyalty:", err) // never stdout: it carries the handshake
			os.Exit(1)
		}
	}
	loyalty, err := NewLoyalty(data)
	if err != nil {
		fmt.Fprintln(os.Stderr, "loyalty:", err)
		os.Exit(1)
	}
	log.Info("loyalty program loaded", "accounts", len(loyalty.accounts), "rewards", len(loyalty.rewards))
	plugin.Serve(plugin.Services{Hydrator: loyalty})
}
