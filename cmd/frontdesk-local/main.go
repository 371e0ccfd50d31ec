// Command frontdesk-local serves the local development stack (connectors/local: CRM, back
// office and SMS outbox on one SQLite file) as a frontdesk plugin. frontdesk starts it; run by
// hand it says so and exits.
//
//	frontdesk-local --db build/local.db   (or FRONTDESK_LOCAL_DB=build/local.db)
package main

import (
	"flag"
	"fmt"
	"log/slog"
	"os"

	"github.com/frontdeskhq/frontdesk/connectors/local"
	"github.com/frontdeskhq/frontdesk/sdk/plugin"
)

func main() {
	db := flag.String("db", envOr("FRONTDESK_LOCAL_DB", "frontdesk-local.db"), "the SQLite file (env FRONTDESK_LOCAL_DB)")
	flag.Parse()
	log := plugin.Logger(slog.LevelInfo)
	store, err := local.Open(*db)
	if err != nil {
		// stderr, not stdout: the host reads go-plugin's handshake from stdout.
		fmt.Fprintln(os.Stderr, "frontdesk-local:", err)
		os.Exit(1)
	}
	log.Info("local stack open", "db", *db)
	plugin.Serve(plugin.Services{CRM: store, BackOffice: store, Messaging: store})
}

func envOr(key, def string) string {
	if v := os.Getenv(key); v != "" {
		return v
	}
	return def
}
