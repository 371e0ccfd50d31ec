package plugin

import (
	"context"
	"os"

	"github.com/hashicorp/go-hclog"
	goplugin "github.com/hashicorp/go-plugin"
	"google.golang.org/grpc"
)

// Serve serves the non-nil services of s to the frontdesk host that started this process, and
// exits the process when the host is done with it; it never returns. Call it from main, and
// print nothing to stdout before: go-plugin's handshake is the first line there. Log to stderr
// (Logger does so in the form the host forwards with levels).
//
// Run by hand instead of by frontdesk, the binary says so and exits with status 1.
func Serve(s Services) {
	goplugin.Serve(&goplugin.ServeConfig{
		HandshakeConfig: Handshake,
		Plugins:         goplugin.PluginSet{pluginName: &grpcPlugin{services: s}},
		// Fixed flow-control windows turn off gRPC's bandwidth estimation, whose pings cost each
		// small call extra frames and wake-ups; the host sets the same. Stream workers run calls
		// on goroutines kept from earlier calls, whose stacks have already grown, instead of a
		// new goroutine per call that grows its stack again (a tenth of a plugin's CPU time per
		// call in BenchmarkPluginCall).
		GRPCServer: func(opts []grpc.ServerOption) *grpc.Server {
			return grpc.NewServer(append(opts, grpc.InitialWindowSize(flowWindow), grpc.InitialConnWindowSize(flowWindow),
				grpc.NumStreamWorkers(streamWorkers))...)
		},
		Logger: hclog.New(&hclog.LoggerOptions{
			Output: os.Stderr, JSONFormat: true, Level: hclog.Info, Name: "plugin",
		}),
	})
	os.Exit(0)
}

// flowWindow is the HTTP/2 flow-control window of the plugin's connection.
const flowWindow = 1 << 20

// streamWorkers is how many goroutines wait for calls. go-plugin's own streams (the broker,
// stdio) hold one each for the life of the connection; calls beyond the rest get a goroutine
// of their own, as without workers.
const streamWorkers = 16

// grpcPlugin binds the services to go-plugin: the server side registers them, the client side
// makes a *Client.
type grpcPlugin struct {
	goplugin.NetRPCUnsupportedPlugin
	services Services
}

// GRPCServer implements goplugin.GRPCPlugin.
func (p *grpcPlugin) GRPCServer(_ *goplugin.GRPCBroker, srv *grpc.Server) error {
	p.services.register(srv)
	return nil
}

// GRPCClient implements goplugin.GRPCPlugin.
func (p *grpcPlugin) GRPCClient(_ context.Context, _ *goplugin.GRPCBroker, conn *grpc.ClientConn) (any, error) {
	return newClient(conn, nil), nil
}
