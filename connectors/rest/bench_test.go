package rest

import (
	"context"
	"path/filepath"
	"testing"
)

// BenchmarkMapCustomer measures what the connector adds to a GetCustomer answer: decoding the
// JSON and walking the mapping's paths.
func BenchmarkMapCustomer(b *testing.B) {
	cfg, err := LoadConfig(filepath.Join("testdata", "backoffice.yaml"), func(k string) (string, bool) { return "x", k == "BACKOFFICE_TOKEN" })
	if err != nil {
		b.Fatal(err)
	}
	eps, err := compile(cfg)
	if err != nil {
		b.Fatal(err)
	}
	e := eps.operations[OpGetCustomer]
	body := testdata(b, "customer.json")
	b.ReportAllocs()
	for b.Loop() {
		v, err := decode(body)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := e.customer(get1(e.root, v)); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkGetCustomer is a whole GetCustomer against the fake back office on loopback:
// templates, HTTP round trip, decoding and mapping.
func BenchmarkGetCustomer(b *testing.B) {
	f := newFakeBackOffice(b)
	c := f.client(b)
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := c.GetCustomer(ctx, "C-1001"); err != nil {
			b.Fatal(err)
		}
	}
}
