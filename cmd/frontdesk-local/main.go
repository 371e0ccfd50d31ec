// Command frontdesk-local serves the local development stack (connectors/local: CRM, back
// office and SMS outbox on one SQLite file) as a frontdesk plugin. frontdesk starts it; run by
// hand it says so and exits.
//
//	frontdesk-local [--db FILE]   (default $FRONTDESK_LOCAL_DB, else build/local.db)
package main

import (
	"flag"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"

	"github.com/frontdeskhq/frontdesk/connectors/local"
	"github.com/frontdeskhq/frontdesk/sdk/plugin"
)

func main() {
	db := flag.String("db", local.DBPath(), "the SQLite file, created when missing (env "+local.EnvDB+")")
	flag.Parse()
	log := plugin.Logger(slog.LevelInfo)
	// Errors go to stderr, never stdout: the host reads go-plugin's handshake from stdout.
	if err := os.MkdirAll(filepath.Dir(*db), 0o755); err != nil {
		fmt.Fprintln(os.Stderr, "frontdesk-local:", err)
		os.Exit(1)
	}
	store, err := local.Open(*db)
	if err != nil {
		fmt.Fprintln(os.Stderr, "frontdesk-local:", err)
		os.Exit(1)
	}
	log.Info("local stack open", "db", *db)
	plugin.Serve(plugin.Services{CRM: store, BackOffice: store, Messaging: store, Hydrator: store})
}
