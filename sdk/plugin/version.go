package plugin

import goplugin "github.com/hashicorp/go-plugin"

// The protocol version. ProtocolMajor is go-plugin's handshake version and the suffix of the
// proto package (frontdesk.plugin.v1): host and plugin of different majors refuse each other at
// start. ProtocolMinor grows with additive changes, which old peers ignore.
const (
	ProtocolMajor = 1
	ProtocolMinor = 0
)

// pluginName is the one name under which a plugin process registers with go-plugin; what it
// serves is told by the Plugin.Info call.
const pluginName = "frontdesk"

// Handshake is go-plugin's handshake between frontdesk and its plugins. The magic cookie only
// keeps a plugin binary from being run by hand by mistake; it is no security measure.
var Handshake = goplugin.HandshakeConfig{
	ProtocolVersion:  ProtocolMajor,
	MagicCookieKey:   "FRONTDESK_PLUGIN",
	MagicCookieValue: "c2b1e5e8-frontdesk-plugin",
}

// PluginSet is what go-plugin's host side needs to dispense a *Client from a started plugin:
// use it as ClientConfig.Plugins, then Dispense(DispenseName).
func PluginSet() goplugin.PluginSet {
	return goplugin.PluginSet{pluginName: &grpcPlugin{}}
}

// DispenseName is the name to pass to go-plugin's ClientProtocol.Dispense; it yields a *Client.
const DispenseName = pluginName
