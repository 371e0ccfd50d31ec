// Command frontdesk-salesforce serves Salesforce Service Cloud cases (the CRM) as a frontdesk plugin
// (connectors/salesforce). frontdesk starts it; run by hand it says so and exits.
//
//	frontdesk-salesforce [-config FILE]
//
// Settings come from FILE (YAML, also named by $SALESFORCE_CONFIG), then from SALESFORCE_*
// environment variables, which win; -help lists them. connectors/salesforce/README.md explains
// each with an example.
package main

import (
	"flag"
	"fmt"
	"log/slog"
	"os"

	"github.com/frontdeskhq/frontdesk/connectors/salesforce"
	"github.com/frontdeskhq/frontdesk/sdk/plugin"
)

func main() {
	path := flag.String("config", os.Getenv("SALESFORCE_CONFIG"), "YAML settings file; SALESFORCE_* variables override it")
	flag.Usage = func() {
		fmt.Fprintf(os.Stderr, "usage: frontdesk-salesforce [-config FILE]\n\n")
		flag.PrintDefaults()
		fmt.Fprintf(os.Stderr, "\nsettings (environment variable, YAML key, meaning):\n")
		salesforce.Usage(os.Stderr)
	}
	flag.Parse()
	cfg, err := salesforce.LoadConfig(*path, os.LookupEnv)
	var c *salesforce.Client
	if err == nil {
		c, err = salesforce.New(cfg)
	}
	if err != nil {
		// stderr, never stdout: the host reads go-plugin's handshake from stdout.
		fmt.Fprintln(os.Stderr, "frontdesk-salesforce:", err)
		os.Exit(1)
	}
	plugin.Logger(slog.LevelInfo).Info("salesforce connector ready", "instance", cfg.InstanceURL, "api_version", cfg.APIVersion, "auth", cfg.Auth.Flow)
	plugin.Serve(plugin.Services{CRM: c})
}
