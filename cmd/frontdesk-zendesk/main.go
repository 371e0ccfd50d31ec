// Command frontdesk-zendesk serves Zendesk Support tickets (the CRM) as a frontdesk plugin
// (connectors/zendesk). frontdesk starts it; run by hand it says so and exits.
//
//	frontdesk-zendesk [-config FILE]
//
// Settings come from FILE (YAML, also named by $ZENDESK_CONFIG), then from ZENDESK_*
// environment variables, which win; -help lists them. connectors/zendesk/README.md explains
// each with an example.
package main

import (
	"flag"
	"fmt"
	"log/slog"
	"os"

	"github.com/frontdeskhq/frontdesk/connectors/zendesk"
	"github.com/frontdeskhq/frontdesk/sdk/plugin"
)

func main() {
	path := flag.String("config", os.Getenv("ZENDESK_CONFIG"), "YAML settings file; ZENDESK_* variables override it")
	flag.Usage = func() {
		fmt.Fprintf(os.Stderr, "usage: frontdesk-zendesk [-config FILE]\n\n")
		flag.PrintDefaults()
		fmt.Fprintf(os.Stderr, "\nsettings (environment variable, YAML key, meaning):\n")
		zendesk.Usage(os.Stderr)
	}
	flag.Parse()
	cfg, err := zendesk.LoadConfig(*path, os.LookupEnv)
	var c *zendesk.Client
	if err == nil {
		c, err = zendesk.New(cfg)
	}
	if err != nil {
		// stderr, never stdout: the host reads go-plugin's handshake from stdout.
		fmt.Fprintln(os.Stderr, "frontdesk-zendesk:", err)
		os.Exit(1)
	}
	plugin.Logger(slog.LevelInfo).Info("zendesk connector ready", "url", cfg.URL, "subdomain", cfg.Subdomain)
	plugin.Serve(plugin.Services{CRM: c})
}
