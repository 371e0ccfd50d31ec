package ui

import (
	"encoding/json"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/valyala/fasthttp"

	"github.com/frontdeskhq/frontdesk/core/auth"
	"github.com/frontdeskhq/frontdesk/core/httpserver"
	"github.com/frontdeskhq/frontdesk/core/policy"
)

const testToken = "ui-test-admin-token"

func newServer(t testing.TB) fasthttp.RequestHandler {
	s := httpserver.New(httpserver.Config{}, prometheus.NewRegistry(), slog.New(slog.NewTextHandler(io.Discard, nil)))
	Mount(s, &auth.APIKeys{AdminToken: testToken})
	return s.Handler()
}

// post sends a request to h and returns the status and the decoded JSON answer.
func post(t testing.TB, h fasthttp.RequestHandler, path, token, body string) (int, map[string]any) {
	t.Helper()
	var ctx fasthttp.RequestCtx
	ctx.Request.Header.SetMethod("POST")
	ctx.Request.SetRequestURI(path)
	if token != "" {
		ctx.Request.Header.Set("Authorization", "Bearer "+token)
	}
	ctx.Request.SetBodyString(body)
	h(&ctx)
	var out map[string]any
	if err := json.Unmarshal(ctx.Response.Body(), &out); err != nil {
		t.Fatalf("%s: %d %s", path, ctx.Response.StatusCode(), ctx.Response.Body())
	}
	return ctx.Response.StatusCode(), out
}

func examplePolicies(t testing.TB) []string {
	dir, _ := os.Getwd()
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			break
		}
		dir = filepath.Dir(dir)
	}
	paths, err := filepath.Glob(filepath.Join(dir, "examples", "policies", "*.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, p := range paths {
		if !strings.HasSuffix(p, ".test.yaml") {
			out = append(out, p)
		}
	}
	return out
}

// TestRoundTrip: every example policy decodes to JSON and encodes back to YAML that the
// loader reads as the same policy.
func TestRoundTrip(t *testing.T) {
	h := newServer(t)
	for _, path := range examplePolicies(t) {
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := json.Marshal(DecodeRequest{Body: string(data)})
		code, dec := post(t, h, DecodePath, testToken, string(body))
		if code != 200 {
			t.Fatalf("%s: decode %d %v", path, code, dec)
		}
		body, _ = json.Marshal(map[string]any{"policy": dec["policy"]})
		code, enc := post(t, h, EncodePath, testToken, string(body))
		if code != 200 {
			t.Fatalf("%s: encode %d %v", path, code, enc)
		}
		want, _, err := policy.Parse(path, data)
		if err != nil {
			t.Fatal(err)
		}
		got, _, err := policy.Parse(path, []byte(enc["body"].(string)))
		if err != nil {
			t.Fatalf("%s: the written YAML does not load: %v\n%s", path, err, enc["body"])
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s: round trip changed the policy:\n%s", path, enc["body"])
		}
	}
}

func TestConvertErrors(t *testing.T) {
	h := newServer(t)
	for _, tc := range []struct {
		path, token, body string
		status            int
		code              string
		line              float64
	}{
		{DecodePath, "", `{"body": "policy: x"}`, 401, "unauthorized", 0},
		{DecodePath, "wrong", `{"body": "policy: x"}`, 401, "unauthorized", 0},
		{DecodePath, testToken, `{"yaml": "policy: x"}`, 400, "bad_request", 0},
		{DecodePath, testToken, `{"body": "policy: x\nstart: a\nnodes:\n  a: {end: done, colour: red}\n"}`, 422, "invalid_policy", 4},
		{DecodePath, testToken, `{"body": ""}`, 422, "invalid_policy", 1},
		{EncodePath, testToken, `{}`, 400, "bad_request", 0},
		{EncodePath, testToken, `{"policy": {"policy": "x", "nodes": {"a": {"end": [1]}}}}`, 422, "invalid_policy", 0},
	} {
		code, out := post(t, h, tc.path, tc.token, tc.body)
		e, _ := out["error"].(map[string]any)
		if code != tc.status || e["code"] != tc.code {
			t.Errorf("%s %s: %d %v, want %d %s", tc.path, tc.body, code, out, tc.status, tc.code)
		}
		if tc.line > 0 {
			probs, _ := out["problems"].([]any)
			if len(probs) != 1 || probs[0].(map[string]any)["line"] != tc.line {
				t.Errorf("%s: problems %v, want line %v", tc.body, probs, tc.line)
			}
		}
	}
}

func FuzzDecode(f *testing.F) {
	for _, p := range examplePolicies(f) {
		data, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(string(data))
	}
	f.Add("policy: x\nnodes: {a: {decide: [{when: 'true', goto: a}]}}")
	f.Add("{policy: [")
	h := newServer(f)
	f.Fuzz(func(t *testing.T, text string) {
		body, _ := json.Marshal(DecodeRequest{Body: text})
		code, out := post(t, h, DecodePath, testToken, string(body))
		if code != 200 && code != 422 {
			t.Fatalf("decode answered %d %v", code, out)
		}
	})
}
