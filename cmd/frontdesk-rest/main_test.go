package main

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/frontdeskhq/frontdesk/connectors/pluginmain"

	"github.com/frontdeskhq/frontdesk/plugins"
)

// TestServesThroughTheHost starts the binary as frontdesk does (a real subprocess under the
// plugins host) with connectors/rest's example configuration, against that back office on
// loopback, and uses it as a BackOffice and as a Hydrator.
func TestServesThroughTheHost(t *testing.T) {
	read := func(name string) []byte {
		b, err := os.ReadFile(filepath.Join("..", "..", "connectors", "rest", "testdata", name))
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	customer, orders := read("customer.json"), read("orders.json")
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case r.Header.Get("Authorization") != "Bearer s3cret":
			w.WriteHeader(http.StatusUnauthorized)
		case r.URL.Path == "/api/v2/customers/C-1001":
			w.Write(customer)
		case r.URL.Path == "/api/v2/customers/C-1001/orders":
			w.Write(orders)
		default:
			w.WriteHeader(http.StatusNotFound)
		}
	}))
	defer srv.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	host, err := plugins.Start(ctx, []plugins.Config{{Name: "backoffice", Command: pluginmain.Build(t, "frontdesk-rest"),
		Args: []string{"-config", "../../connectors/rest/testdata/backoffice.yaml"},
		Env:  map[string]string{"REST_BASE_URL": srv.URL + "/api/v2", "BACKOFFICE_TOKEN": "s3cret"},
	}}, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	defer host.Close()
	bo, ok := host.BackOffice("backoffice")
	if !ok {
		t.Fatal("the plugin serves no BackOffice")
	}
	c, err := bo.GetCustomer(ctx, "C-1001")
	if err != nil || c.Phone != "+351912345678" || c.Address.City != "Lisboa" {
		t.Fatalf("GetCustomer = %+v, %v", c, err)
	}
	h, ok := host.Hydrator("backoffice")
	if !ok {
		t.Fatal("the plugin serves no Hydrator")
	}
	got, err := h.Fetch(ctx, "orders", map[string]any{"customer_id": "C-1001", "since": "2026-11-01"})
	if list, ok := got.([]any); err != nil || !ok || len(list) != 2 {
		t.Fatalf("Fetch = %#v, %v", got, err)
	}
}

// TestBadConfigurationIsReported runs the binary by hand with a configuration whose credential
// variable is unset: it exits 1 naming the file and the variable, on stderr only.
func TestBadConfigurationIsReported(t *testing.T) {
	pluginmain.CheckBadConfig(t, "backoffice.yaml: auth.env names BACKOFFICE_TOKEN, which is not set", pluginmain.Build(t, "frontdesk-rest"), "-config", "../../connectors/rest/testdata/backoffice.yaml")
}
