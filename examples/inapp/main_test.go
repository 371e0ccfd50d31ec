package main

import (
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/frontdeskhq/frontdesk/channels/inapp"
	"github.com/frontdeskhq/frontdesk/core/httpserver"
	"github.com/frontdeskhq/frontdesk/core/policy"
	"github.com/frontdeskhq/frontdesk/core/router"
	"github.com/frontdeskhq/frontdesk/core/session"
)

// serve runs the in-app API with the real router on the in-app channel's test policy (a form
// of every input type, then a free-text question).
func serve(t *testing.T) string {
	dir, _ := os.Getwd()
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			break
		}
		dir = filepath.Dir(dir)
	}
	set, err := policy.LoadDir(filepath.Join(dir, "channels", "inapp", "testdata"), policy.Env{})
	if err != nil {
		t.Fatal(err)
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	r, err := router.New(router.Config{Sessions: session.NewMemory(), Policies: set, Logger: log})
	if err != nil {
		t.Fatal(err)
	}
	ch, err := inapp.New(inapp.Config{Handle: r.Handle, Flows: r})
	if err != nil {
		t.Fatal(err)
	}
	srv := httpserver.New(httpserver.Config{}, prometheus.NewRegistry(), log)
	ch.Mount(srv)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Shutdown(context.Background()) })
	return "http://" + ln.Addr().String()
}

// The client walks a flow from typed answers: a rejected form, the form again, a step back
// and forward, and the end.
func TestWalk(t *testing.T) {
	c := &client{base: serve(t), http: http.DefaultClient}
	answers := strings.Join([]string{
		"Japan", "soon", "14", "", "true", // "soon" is not a date: the form comes back
		"Japan", "2026-12-01", "14", "", "true",
		"back",
		"Spain", "2026-12-02", "7", "me@example.com", "false",
		"Back on the 9th.",
	}, "\n") + "\n"
	var out strings.Builder
	if err := walk(c, map[string]any{"intent": "travel_notice"}, strings.NewReader(answers), &out); err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	for _, want := range []string{"== Travel notice ==", "! from: a date as YYYY-MM-DD, please", "== Anything else we should know? ==",
		"Noted. Have a good trip.", "(end)"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("the transcript lacks %q:\n%s", want, out.String())
		}
	}
	if strings.Count(out.String(), "== Travel notice ==") != 3 {
		t.Errorf("want the form three times (rejected, shown again after back):\n%s", out.String())
	}
}
