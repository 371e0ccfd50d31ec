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
	"github.com/frontdeskhq/frontdesk/connectors/pluginmain"
	"github.com/frontdeskhq/frontdesk/connectors/rest"
	"github.com/frontdeskhq/frontdesk/sdk/plugin"
)

func main() {
	pluginmain.Main(pluginmain.Connector[rest.Config]{
		Name:       "frontdesk-rest",
		EnvPrefix:  "REST",
		ConfigHelp: "YAML settings file (required); REST_* variables override it",
		Load:       rest.LoadConfig,
		Usage:      rest.Usage,
		Build: func(cfg rest.Config) (plugin.Services, []any, error) {
			c, err := rest.New(cfg)
			if err != nil {
				return plugin.Services{}, nil, err
			}
			return plugin.Services{BackOffice: c, Hydrator: c}, []any{"base_url", cfg.BaseURL, "operations", len(cfg.Operations), "hydrators", len(cfg.Hydrators)}, nil
		},
	})
}
