// Package pluginv1 is the generated wire format of frontdesk's plugin protocol, major version 1
// (plugin.proto). Plugin authors use sdk/plugin instead; only sdk/plugin imports this package.
package pluginv1
