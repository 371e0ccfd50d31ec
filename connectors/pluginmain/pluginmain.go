// Package pluginmain is the main function every connector binary shares: read -config FILE
// (or $<PREFIX>_CONFIG) and the <PREFIX>_* environment, build the connector, and serve it as a
// plugin. Errors go to stderr and exit 1, never to stdout, which carries go-plugin's handshake.
package pluginmain

import (
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"

	"github.com/frontdeskhq/frontdesk/sdk/plugin"
)

// Connector describes one connector binary.
type Connector[C any] struct {
	// Name is the binary's name, such as "frontdesk-zendesk".
	Name string
	// EnvPrefix is the prefix of its environment variables, such as "ZENDESK".
	EnvPrefix string
	// ConfigHelp describes the -config flag.
	ConfigHelp string
	// Load reads the settings from the file (may be empty) and the environment.
	Load func(path string, lookup func(string) (string, bool)) (C, error)
	// Usage lists the settings for -help.
	Usage func(io.Writer)
	// Build makes the connector from its settings and says what it serves; the attributes
	// are logged once it is ready.
	Build func(C) (plugin.Services, []any, error)
}

// Main runs the connector binary. It does not return.
func Main[C any](c Connector[C]) {
	path := flag.String("config", os.Getenv(c.EnvPrefix+"_CONFIG"), c.ConfigHelp)
	flag.Usage = func() {
		fmt.Fprintf(os.Stderr, "usage: %s [-config FILE]\n\n", c.Name)
		flag.PrintDefaults()
		fmt.Fprintf(os.Stderr, "\nsettings (environment variable, YAML key, meaning):\n")
		c.Usage(os.Stderr)
	}
	flag.Parse()
	cfg, err := c.Load(*path, os.LookupEnv)
	var services plugin.Services
	var attrs []any
	if err == nil {
		services, attrs, err = c.Build(cfg)
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "%s: %v\n", c.Name, err)
		os.Exit(1)
	}
	plugin.Logger(slog.LevelInfo).Info(c.Name+" ready", attrs...)
	plugin.Serve(services)
}
