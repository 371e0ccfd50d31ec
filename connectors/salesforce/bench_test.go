package salesforce

import (
	"context"
	"testing"

	"github.com/frontdeskhq/frontdesk/sdk/plugin"
)

// BenchmarkDecodeCase measures reading a Case record as GET /sobjects/Case/<id> answers it.
func BenchmarkDecodeCase(b *testing.B) {
	body, cfg := testdata(b, "case.json"), fullConfig()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := decodeCase(body, cfg, "https://acme.my.salesforce.com"); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkEnsureCaseExisting is the common EnsureCase, of a case that exists, against the
// fake org on loopback: one lookup by external id, its answer decoded.
func BenchmarkEnsureCaseExisting(b *testing.B) {
	f := newFakeOrg(b)
	c := newClient(b, f.config())
	ctx := context.Background()
	if _, err := c.EnsureCase(ctx, request); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := c.EnsureCase(ctx, plugin.CaseRequest{ExternalID: request.ExternalID}); err != nil {
			b.Fatal(err)
		}
	}
}
