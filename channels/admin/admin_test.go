package admin

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/frontdeskhq/frontdesk/core/httpserver"
)

func serve(t *testing.T, cfg Config) string {
	t.Helper()
	s := httpserver.New(httpserver.Config{MaxBodyBytes: 1024}, prometheus.NewRegistry(), slog.New(slog.NewTextHandler(io.Discard, nil)))
	if !Mount(s, cfg) {
		t.Fatal("not mounted")
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go s.Serve(ln)
	t.Cleanup(func() { s.Shutdown(context.Background()) })
	return "http://" + ln.Addr().String()
}

func call(t *testing.T, url, token, body string) (int, map[string]any) {
	req, _ := http.NewRequest("POST", url, strings.NewReader(body))
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out map[string]any
	json.NewDecoder(resp.Body).Decode(&out)
	return resp.StatusCode, out
}

func TestNotMountedWithoutToken(t *testing.T) {
	s := httpserver.New(httpserver.Config{}, prometheus.NewRegistry(), slog.New(slog.NewTextHandler(io.Discard, nil)))
	if Mount(s, Config{}) {
		t.Fatal("an admin API without a token was mounted")
	}
}

func TestAdminEndpoints(t *testing.T) {
	reloads := 0
	failReload := false
	var gotModule []byte
	base := serve(t, Config{
		Token: "adm",
		ReloadModel: func(context.Context) error {
			if failReload {
				return errors.New("corrupt model")
			}
			reloads++
			return nil
		},
		RunExecutor: func(_ context.Context, module []byte, input json.RawMessage) (any, error) {
			gotModule = module
			if string(module) == "bad" {
				return nil, errors.New("not a wasm module")
			}
			return map[string]any{"branch": "waive", "input": string(input)}, nil
		},
	})
	wasmB64 := base64.StdEncoding.EncodeToString([]byte("\x00asm"))
	bigModule := base64.StdEncoding.EncodeToString(make([]byte, 4096)) // larger than the 1 KiB message limit
	for _, tt := range []struct {
		name, path, token, body string
		status                  int
		code                    string
	}{
		{"no token", "/v1/admin/model/reload", "", "", 401, "unauthorized"},
		{"wrong token", "/v1/admin/model/reload", "x", "", 401, "unauthorized"},
		{"reload", "/v1/admin/model/reload", "adm", "", 200, ""},
		{"run", "/v1/executors/run", "adm", `{"module":"` + wasmB64 + `","input":{"data":{"fee":5}}}`, 200, ""},
		{"run a module over the message limit", "/v1/executors/run", "adm", `{"module":"` + bigModule + `"}`, 200, ""},
		{"not base64", "/v1/executors/run", "adm", `{"module":"!!!"}`, 400, "bad_module"},
		{"unknown field", "/v1/executors/run", "adm", `{"modul":"x"}`, 400, "bad_request"},
		{"failing module", "/v1/executors/run", "adm", `{"module":"` + base64.StdEncoding.EncodeToString([]byte("bad")) + `"}`, 422, "executor_failed"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			status, out := call(t, base+tt.path, tt.token, tt.body)
			if status != tt.status {
				t.Fatalf("status %d, want %d: %v", status, tt.status, out)
			}
			if tt.code != "" && out["error"].(map[string]any)["code"] != tt.code {
				t.Fatalf("body %v", out)
			}
		})
	}
	if reloads != 1 || len(gotModule) == 0 {
		t.Fatalf("reloads %d, module %d bytes", reloads, len(gotModule))
	}
	failReload = true
	if status, out := call(t, base+"/v1/admin/model/reload", "adm", ""); status != 422 || !strings.Contains(out["error"].(map[string]any)["message"].(string), "keeps serving") {
		t.Fatalf("failed reload: %d %v", status, out)
	}
}
