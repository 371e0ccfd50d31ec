// Command frontdesk-twilio serves SMS through Twilio (Messaging) as a frontdesk plugin
// (connectors/twilio). frontdesk starts it; run by hand it says so and exits.
//
//	frontdesk-twilio [-config FILE]
//
// Settings come from FILE (YAML, also named by $TWILIO_CONFIG), then from TWILIO_*
// environment variables, which win; -help lists them. connectors/twilio/README.md explains
// each with an example.
package main

import (
	"flag"
	"fmt"
	"log/slog"
	"os"

	"github.com/frontdeskhq/frontdesk/connectors/twilio"
	"github.com/frontdeskhq/frontdesk/sdk/plugin"
)

func main() {
	path := flag.String("config", os.Getenv("TWILIO_CONFIG"), "YAML settings file; TWILIO_* variables override it")
	flag.Usage = func() {
		fmt.Fprintf(os.Stderr, "usage: frontdesk-twilio [-config FILE]\n\n")
		flag.PrintDefaults()
		fmt.Fprintf(os.Stderr, "\nsettings (environment variable, YAML key, meaning):\n")
		twilio.Usage(os.Stderr)
	}
	flag.Parse()
	cfg, err := twilio.LoadConfig(*path, os.LookupEnv)
	var c *twilio.Client
	if err == nil {
		c, err = twilio.New(cfg)
	}
	if err != nil {
		// stderr, never stdout: the host reads go-plugin's handshake from stdout.
		fmt.Fprintln(os.Stderr, "frontdesk-twilio:", err)
		os.Exit(1)
	}
	plugin.Logger(slog.LevelInfo).Info("twilio connector ready", "account", cfg.AccountSID)
	plugin.Serve(plugin.Services{Messaging: c})
}
