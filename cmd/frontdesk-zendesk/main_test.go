package main

import (
	"context"
	"encoding/base64"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"testing"
	"time"

	"github.com/frontdeskhq/frontdesk/connectors/pluginmain"

	"github.com/frontdeskhq/frontdesk/plugins"
)

// TestServesThroughTheHost starts the binary as frontdesk does (a real subprocess under the
// plugins host), configured by environment against a Zendesk account on loopback.
func TestServesThroughTheHost(t *testing.T) {
	ticket, err := os.ReadFile("../../connectors/zendesk/testdata/ticket.json")
	if err != nil {
		t.Fatal(err)
	}
	groups, err := os.ReadFile("../../connectors/zendesk/testdata/groups.json")
	if err != nil {
		t.Fatal(err)
	}
	basic := "Basic " + base64.StdEncoding.EncodeToString([]byte("frontdesk@acme.example/token:tok"))
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case r.Header.Get("Authorization") != basic:
			w.WriteHeader(http.StatusUnauthorized)
			w.Write([]byte(`{"error":"Couldn't authenticate you"}`))
		case r.URL.Path == "/api/v2/tickets/35436.json":
			w.Write(ticket)
		case r.URL.Path == "/api/v2/groups.json":
			w.Write(groups)
		default:
			w.WriteHeader(http.StatusNotFound)
			w.Write([]byte(`{"error":"RecordNotFound","description":"Not found"}`))
		}
	}))
	defer srv.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	host, err := plugins.Start(ctx, []plugins.Config{{Name: "crm", Command: pluginmain.Build(t, "frontdesk-zendesk"), Env: map[string]string{
		"ZENDESK_URL": srv.URL, "ZENDESK_EMAIL": "frontdesk@acme.example", "ZENDESK_API_TOKEN": "tok",
		"ZENDESK_INTENT_FIELD_ID": "360012345671", "ZENDESK_CONFIDENCE_FIELD_ID": "360012345672",
	}}}, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	defer host.Close()
	crm, ok := host.CRM("crm")
	if !ok {
		t.Fatal("the plugin serves no CRM")
	}
	c, err := crm.GetCase(ctx, "35436")
	if err != nil || c.Intent != "change_address" || c.Confidence != 0.93 || c.Queue != "Data change approvals" {
		t.Fatalf("GetCase = %+v, %v", c, err)
	}
}

// TestBadConfigurationIsReported runs the binary by hand without settings: it exits 1 naming
// what is missing, on stderr only.
func TestBadConfigurationIsReported(t *testing.T) {
	pluginmain.CheckBadConfig(t, "ZENDESK_URL", pluginmain.Build(t, "frontdesk-zendesk"))
}
