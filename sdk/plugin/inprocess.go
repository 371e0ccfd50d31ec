package plugin

import (
	"context"
	"errors"
	"net"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/test/bufconn"
)

// InProcess serves s over gRPC inside this process, on an in-memory connection, and returns a
// client of it. Every call goes through the same protocol, conversions and error mapping as
// with a real plugin process, so authors can test their plugin in a plain `go test` without
// building a binary. Close the client to stop the server.
func InProcess(s Services) (*Client, error) {
	lis := bufconn.Listen(1 << 20)
	srv := grpc.NewServer()
	s.register(srv)
	go func() { _ = srv.Serve(lis) }()
	conn, err := grpc.NewClient("passthrough:///inprocess",
		grpc.WithContextDialer(func(ctx context.Context, _ string) (net.Conn, error) { return lis.DialContext(ctx) }),
		grpc.WithTransportCredentials(insecure.NewCredentials()),
	)
	if err != nil {
		srv.Stop()
		return nil, err
	}
	return newClient(conn, func() error {
		err := conn.Close()
		srv.Stop()
		return errors.Join(err, lis.Close())
	}), nil
}
