package ui_test

import (
	"context"
	"io"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"testing"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/frontdeskhq/frontdesk/channels/studio"
	"github.com/frontdeskhq/frontdesk/channels/studio/ui"
	"github.com/frontdeskhq/frontdesk/core/auth"
	"github.com/frontdeskhq/frontdesk/core/httpserver"
	"github.com/frontdeskhq/frontdesk/core/store"
	"github.com/frontdeskhq/frontdesk/internal/browsertest"
)

// TestStudioEditingInBrowser drives the Studio in headless chromium against the real Studio
// API on a SQLite store: an admin creates a key, its owner signs in with it, creates a policy,
// edits it with live validation, simulates, saves a test case, moves it to shadow, meets the
// gate's refusal, and reads the audit log. Screenshots go to
// build/artifacts/TestStudioEditingInBrowser.
func TestStudioEditingInBrowser(t *testing.T) {
	tools := browsertest.Require(t)
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "frontdesk.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	const admin = "admin-token-of-the-studio-editing-test"
	keys := &auth.APIKeys{Store: st, AdminToken: admin}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	srv := httpserver.New(httpserver.Config{}, prometheus.NewRegistry(), log)
	studio.Mount(srv, studio.Config{Store: st, Keys: keys, Logger: log})
	ui.Mount(srv, keys)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go srv.Serve(ln)
	// Closing the listener stops Serve; Shutdown would race (fasthttp 1.69) with database/sql
	// goroutines that read a finished request's Done channel.
	defer ln.Close()
	body, err := os.ReadFile(filepath.Join(tools.Root, "examples", "policies", "change-address.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	browsertest.Run(t, "testdata/studio_editing.mjs", map[string]string{
		"BASE_URL": "http://" + ln.Addr().String(), "ADMIN": admin, "BODY": string(body),
	})
}
