package main

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"testing"
	"time"

	"github.com/frontdeskhq/frontdesk/connectors/pluginmain"

	"github.com/frontdeskhq/frontdesk/plugins"
	"github.com/frontdeskhq/frontdesk/sdk/plugin"
)

// TestServesThroughTheHost starts the binary as frontdesk does (a real subprocess under the
// plugins host), configured by environment against Twilio's Messages endpoint on loopback.
func TestServesThroughTheHost(t *testing.T) {
	created, err := os.ReadFile("../../connectors/twilio/testdata/message_created.json")
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		user, pass, _ := r.BasicAuth()
		if r.URL.Path != "/2010-04-01/Accounts/ACXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX/Messages.json" || user != "ACXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX" || pass != "token" {
			w.WriteHeader(http.StatusNotFound)
			return
		}
		w.WriteHeader(http.StatusCreated)
		w.Write(created)
	}))
	defer srv.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	host, err := plugins.Start(ctx, []plugins.Config{{Name: "sms", Command: pluginmain.Build(t, "frontdesk-twilio"), Env: map[string]string{
		"TWILIO_ACCOUNT_SID": "ACXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX", "TWILIO_AUTH_TOKEN": "token",
		"TWILIO_FROM": "+15017122661", "TWILIO_API_URL": srv.URL,
	}}}, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	defer host.Close()
	m, ok := host.Messaging("sms")
	if !ok {
		t.Fatal("the plugin serves no Messaging")
	}
	r, err := m.SendSMS(ctx, plugin.SMS{To: "+351912345678", Body: "Your code is 493021", IdempotencyKey: "k"})
	if err != nil || r.ID != "SM1f0e8ae6ade43cb3c0ce4525424e404f" || r.Status != "queued" {
		t.Fatalf("SendSMS = %+v, %v", r, err)
	}
}

// TestBadConfigurationIsReported runs the binary by hand without settings: it exits 1 naming
// what is missing, on stderr only.
func TestBadConfigurationIsReported(t *testing.T) {
	pluginmain.CheckBadConfig(t, "TWILIO_ACCOUNT_SID", pluginmain.Build(t, "frontdesk-twilio"))
}
