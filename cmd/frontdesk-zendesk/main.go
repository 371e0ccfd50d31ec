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
	"github.com/frontdeskhq/frontdesk/connectors/pluginmain"
	"github.com/frontdeskhq/frontdesk/connectors/zendesk"
	"github.com/frontdeskhq/frontdesk/sdk/plugin"
)

func main() {
	pluginmain.Main(pluginmain.Connector[zendesk.Config]{
		Name:       "frontdesk-zendesk",
		EnvPrefix:  "ZENDESK",
		ConfigHelp: "YAML settings file; ZENDESK_* variables override it",
		Load:       zendesk.LoadConfig,
		Usage:      zendesk.Usage,
		Build: func(cfg zendesk.Config) (plugin.Services, []any, error) {
			c, err := zendesk.New(cfg)
			if err != nil {
				return plugin.Services{}, nil, err
			}
			return plugin.Services{CRM: c}, []any{"url", cfg.URL, "subdomain", cfg.Subdomain}, nil
		},
	})
}
