package plugin

import (
	"context"
	"testing"
)

// fixedCase answers GetCase with a constant case, so the benchmark sees only the protocol.
type fixedCase struct{ failing }

func (fixedCase) GetCase(_ context.Context, id string) (Case, error) {
	return Case{ID: id, ExternalID: "m-1", Status: "new", Queue: "billing"}, nil
}

// BenchmarkInProcessCall measures the protocol alone: a GetCase through the client shim, gRPC
// on an in-memory connection without TLS, and the server shim. Compare plugins'
// BenchmarkPluginCall for the cost of the process boundary and TLS.
func BenchmarkInProcessCall(b *testing.B) {
	c, err := InProcess(Services{CRM: fixedCase{}})
	if err != nil {
		b.Fatal(err)
	}
	defer c.Close()
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := c.GetCase(ctx, "C-1"); err != nil {
			b.Fatal(err)
		}
	}
}
