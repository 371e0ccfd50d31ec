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
	"github.com/frontdeskhq/frontdesk/connectors/pluginmain"
	"github.com/frontdeskhq/frontdesk/connectors/twilio"
	"github.com/frontdeskhq/frontdesk/sdk/plugin"
)

func main() {
	pluginmain.Main(pluginmain.Connector[twilio.Config]{
		Name:       "frontdesk-twilio",
		EnvPrefix:  "TWILIO",
		ConfigHelp: "YAML settings file; TWILIO_* variables override it",
		Load:       twilio.LoadConfig,
		Usage:      twilio.Usage,
		Build: func(cfg twilio.Config) (plugin.Services, []any, error) {
			c, err := twilio.New(cfg)
			if err != nil {
				return plugin.Services{}, nil, err
			}
			return plugin.Services{Messaging: c}, []any{"account", cfg.AccountSID}, nil
		},
	})
}
