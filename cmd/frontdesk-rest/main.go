// Command frontdesk-rest serves a back office with an HTTP/JSON API (BackOffice and Hydrator) as a frontdesk plugin
// (connectors/rest). frontdesk starts it; run by hand it says so and exits.
//
//	frontdesk-rest [-config FILE]
//
// Settings come from FILE (YAML, also named by $REST_CONFIG), then from REST_*
// environment variables, which win; -help lists them. connectors/rest/README.md explains
// each with an example.
package main

import (
	"flag"
	"fmt"
	"log/slog"
	"os"

	"github.com/frontdeskhq/frontdesk/connectors/rest"
	"github.com/frontdeskhq/frontdesk/sdk/plugin"
)

func main() {
	path := flag.String("config", os.Getenv("REST_CONFIG"), "YAML settings file (required); REST_* variables override it")
	flag.Usage = func() {
		fmt.Fprintf(os.Stderr, "usage: frontdesk-rest [-config FILE]\n\n")
		flag.PrintDefaults()
		fmt.Fprintf(os.Stderr, "\nsettings (environment variable, YAML key, meaning):\n")
		rest.Usage(os.Stderr)
	}
	flag.Parse()
	cfg, err := rest.LoadConfig(*path, os.LookupEnv)
	var c *rest.Client
	if err == nil {
		c, err = rest.New(cfg)
	}
	if err != nil {
		// stderr, never stdout: the host reads go-plugin's handshake from stdout.
		fmt.Fprintln(os.Stderr, "frontdesk-rest:", err)
		os.Exit(1)
	}
	plugin.Logger(slog.LevelInfo).Info("rest connector ready", "base_url", cfg.BaseURL, "operations", len(cfg.Operations), "hydrators", len(cfg.Hydrators))
	plugin.Serve(plugin.Services{BackOffice: c, Hydrator: c})
}
