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
	"github.com/frontdeskhq/frontdesk/connectors/pluginmain"
	"github.com/frontdeskhq/frontdesk/connectors/salesforce"
	"github.com/frontdeskhq/frontdesk/sdk/plugin"
)

func main() {
	pluginmain.Main(pluginmain.Connector[salesforce.Config]{
		Name:       "frontdesk-salesforce",
		EnvPrefix:  "SALESFORCE",
		ConfigHelp: "YAML settings file; SALESFORCE_* variables override it",
		Load:       salesforce.LoadConfig,
		Usage:      salesforce.Usage,
		Build: func(cfg salesforce.Config) (plugin.Services, []any, error) {
			c, err := salesforce.New(cfg)
			if err != nil {
				return plugin.Services{}, nil, err
			}
			return plugin.Services{CRM: c}, []any{"instance", cfg.InstanceURL, "api_version", cfg.APIVersion, "auth", cfg.Auth.Flow}, nil
		},
	})
}
