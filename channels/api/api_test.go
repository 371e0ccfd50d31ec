package api

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/frontdeskhq/frontdesk/core/httpserver"
	"github.com/frontdeskhq/frontdesk/core/hydrate"
	"github.com/frontdeskhq/frontdesk/core/policy"
	"github.com/frontdeskhq/frontdesk/core/router"
	"github.com/frontdeskhq/frontdesk/core/session"
)

func policiesDir(t *testing.T) string {
	dir, _ := os.Getwd()
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return filepath.Join(dir, "examples", "policies")
		}
		dir = filepath.Dir(dir)
	}
}

// serve starts the real server on a loopback port with the example policies.
func serve(t *testing.T, token string, maxBody int) string {
	t.Helper()
	customers := hydrate.SourceFunc(func(_ context.Context, call string, args map[string]any) (any, error) {
		if call == "GetCustomer" && args["customer_id"] == "C-1001" {
			return map[string]any{"id": "C-1001", "phone": "+4915112345678"}, nil
		}
		if call == "ListChangeRequests" {
			return []any{}, nil
		}
		return nil, nil
	})
	set, err := policy.LoadDir(policiesDir(t), policy.Env{Sources: hydrate.Sources{"backoffice": customers}})
	if err != nil {
		t.Fatal(err)
	}
	routing, _ := router.NewRouting("general-support", nil)
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	r, err := router.New(router.Config{Sessions: session.NewMemory(), Policies: set, Routing: routing, Logger: log})
	if err != nil {
		t.Fatal(err)
	}
	srv := httpserver.New(httpserver.Config{MaxBodyBytes: maxBody}, prometheus.NewRegistry(), log)
	New(router.Chain(r.Handle, router.Recoverer(log)), token).Mount(srv)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Shutdown(context.Background()) })
	return "http://" + ln.Addr().String()
}

func post(t *testing.T, url, token, body string) (int, map[string]any) {
	t.Helper()
	req, _ := http.NewRequest("POST", url, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out map[string]any
	data, _ := io.ReadAll(resp.Body)
	if err := json.Unmarshal(data, &out); err != nil {
		t.Fatalf("status %d, body is not JSON: %q", resp.StatusCode, data)
	}
	return resp.StatusCode, out
}

func TestChangeOfAddressWalksToTheFirstAsk(t *testing.T) {
	base := serve(t, "", 0)
	status, out := post(t, base+Path, "", `{"channel":"api","intent":"change_address","contact":{"customer_id":"C-1001"}}`)
	if status != 200 {
		t.Fatalf("status %d: %v", status, out)
	}
	replies := out["replies"].([]any)
	first := replies[0].(map[string]any)
	if first["node"] != "confirm" || len(first["choices"].([]any)) != 2 {
		t.Fatalf("reply %v", first)
	}
	conv := out["conversation_id"].(string)
	status, out = post(t, base+Path, "", `{"conversation_id":"`+conv+`","input":{"choice":"yes"}}`)
	if status != 200 || out["replies"].([]any)[0].(map[string]any)["node"] != "collect" {
		t.Fatalf("second turn %d %v", status, out)
	}
}

func TestBadRequestsGetJSONErrorsAndTheServerKeepsServing(t *testing.T) {
	base := serve(t, "s3cret", 2048)
	for _, tt := range []struct {
		name, token, body string
		status            int
		code              string
	}{
		{"no token", "", `{"text":"hi"}`, 401, "unauthorized"},
		{"wrong token", "nope", `{"text":"hi"}`, 401, "unauthorized"},
		{"malformed", "s3cret", `{"text":`, 400, "bad_request"},
		{"unknown field", "s3cret", `{"txt":"hi"}`, 400, "bad_request"},
		{"wrong type", "s3cret", `{"text":42}`, 400, "bad_request"},
		{"two objects", "s3cret", `{"text":"a"}{"text":"b"}`, 400, "bad_request"},
		{"empty", "s3cret", ``, 400, "bad_request"},
		{"nothing to handle", "s3cret", `{"channel":"api"}`, 400, "bad_message"},
		{"oversized", "s3cret", `{"text":"` + strings.Repeat("x", 4096) + `"}`, 413, "body_too_large"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			status, out := post(t, base+Path, tt.token, tt.body)
			if status != tt.status {
				t.Fatalf("status %d, want %d: %v", status, tt.status, out)
			}
			e := out["error"].(map[string]any)
			if e["code"] != tt.code || e["message"] == "" {
				t.Fatalf("error %v", e)
			}
		})
	}
	// Invalid UTF-8 inside JSON strings is replaced by U+FFFD, as encoding/json does.
	status, out := post(t, base+Path, "s3cret", "{\"text\":\"I lost my card \xff\"}")
	if status != 200 {
		t.Fatalf("after bad requests: %d %v", status, out)
	}
}

func TestHealthMetricsAndUnknownRoutes(t *testing.T) {
	base := serve(t, "", 0)
	resp, err := http.Get(base + "/healthz")
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("healthz: %v %v", resp, err)
	}
	resp, _ = http.Get(base + "/v1/nothing")
	if resp.StatusCode != 404 || resp.Header.Get("X-Request-Id") == "" {
		t.Fatalf("unknown route: %d", resp.StatusCode)
	}
	resp, _ = http.Get(base + Path)
	if resp.StatusCode != 405 {
		t.Fatalf("GET on POST route: %d", resp.StatusCode)
	}
	resp, _ = http.Get(base + "/metrics")
	body, _ := io.ReadAll(resp.Body)
	if !bytes.Contains(body, []byte(`frontdesk_http_requests_total{route="/v1/messages",status="405"} 1`)) {
		t.Fatalf("metrics:\n%s", body)
	}
}

func FuzzDecode(f *testing.F) {
	f.Add([]byte(`{"channel":"api","text":"hi","contact":{"email":"a@b.c"},"input":{"choice":"yes"}}`))
	f.Add([]byte(`{"attachments":[{"name":"a.pdf","size":12}],"received_at":"2026-01-01T00:00:00Z"}`))
	f.Add([]byte(`[]`))
	f.Add([]byte(`{"input":{"a":{"b":[1,2,{"c":null}]}}}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		m, err := Decode(body)
		if err != nil {
			return
		}
		if _, err := json.Marshal(m); err != nil {
			t.Fatalf("decoded message does not encode: %v", err)
		}
	})
}
