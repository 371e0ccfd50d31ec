package rest

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func loadText(t *testing.T, text string, env map[string]string) (Config, error) {
	t.Helper()
	p := filepath.Join(t.TempDir(), "bo.yaml")
	if err := os.WriteFile(p, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	return LoadConfig(p, func(k string) (string, bool) { v, ok := env[k]; return v, ok })
}

func TestConfigErrors(t *testing.T) {
	const ok = "base_url: http://bo.example\noperations:\n  GetCustomer: {url: '/c/{{.customer_id}}'}\n"
	if _, err := loadText(t, ok, nil); err != nil {
		t.Fatalf("a good configuration failed: %v", err)
	}
	for _, tc := range []struct{ name, text, want string }{
		{"unknown key", "base_url: x\noperation: {}\n", `[2:1] unknown field "operation"`},
		{"no base url", "operations:\n  GetCustomer: {url: /c}\n", "base_url (REST_BASE_URL) is required"},
		{"nothing configured", "base_url: x\n", "no operations and no hydrators"},
		{"unknown operation", "base_url: x\noperations:\n  GetCustomers: {url: /c}\n", "operations.GetCustomers: unknown operation; known: GetCustomer, SubmitChangeRequest"},
		{"misspelt argument", "base_url: x\noperations:\n  GetCustomer: {url: '/c/{{.customerid}}'}\n", `operations.GetCustomer.url:1:5: executing "operations.GetCustomer.url" at <.customerid>: map has no entry for key "customerid"`},
		{"unknown function", "base_url: x\noperations:\n  GetCustomer: {url: '/c/{{.customer_id | esc}}'}\n", `function "esc" not defined`},
		{"body not JSON", "base_url: x\noperations:\n  SubmitChangeRequest:\n    method: POST\n    url: /cr\n    body: '{\"kind\": {{.kind}}}'\n", "the rendered body is not valid JSON"},
		{"bad method", "base_url: x\noperations:\n  GetCustomer: {method: FETCH, url: /c}\n", `method "FETCH" is not one of`},
		{"no url", "base_url: x\nhydrators:\n  orders: {method: GET}\n", "hydrators.orders: url is required"},
		{"unknown field", "base_url: x\noperations:\n  GetCustomer:\n    url: /c\n    response: {fields: {mobile: m}}\n", "response.fields.mobile: not a field here"},
		{"empty path segment", "base_url: x\noperations:\n  GetCustomer:\n    url: /c\n    response: {root: data..x}\n", `path "data..x" has an empty segment`},
		{"hydrator with fields", "base_url: x\nhydrators:\n  orders:\n    url: /o\n    response: {fields: {id: x}}\n", "fields and items do not apply"},
		{"auth env unset", "base_url: x\nauth: {header: Authorization, env: BO_TOKEN}\nhydrators:\n  orders: {url: /o}\n", "auth.env names BO_TOKEN, which is not set"},
		{"auth without header", "base_url: x\nauth: {env: BO_TOKEN}\nhydrators:\n  orders: {url: /o}\n", "auth needs both header and env"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var env map[string]string
			if tc.name == "auth without header" {
				env = map[string]string{"BO_TOKEN": "t"}
			}
			_, err := loadText(t, tc.text, env)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v\nwant it to contain %q", err, tc.want)
			}
		})
	}
	if _, err := LoadConfig("", nil); err == nil {
		t.Fatal("LoadConfig without a file succeeded")
	}
}

func TestConfigReportsEveryMistake(t *testing.T) {
	_, err := loadText(t, "base_url: x\noperations:\n  GetCustomer: {url: '/c/{{.nope}}'}\n  GetChangeRequest: {method: FETCH, url: /cr}\n", nil)
	for _, want := range []string{"operations.GetCustomer.url", "operations.GetChangeRequest: method"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("err = %v, want it to mention %q", err, want)
		}
	}
}

func TestUnmappedStatusIsLowerCased(t *testing.T) {
	e, err := compileEndpoint("op", Endpoint{URL: "/x"}, changeRequestFields)
	if err != nil {
		t.Fatal(err)
	}
	cr, err := e.changeRequest(map[string]any{"id": "1", "status": "PENDING"})
	if err != nil || cr.Status != "pending" {
		t.Fatalf("changeRequest = %+v, %v", cr, err)
	}
}

func TestPath(t *testing.T) {
	v, err := decode([]byte(`{"a": {"b": [{"c": 1}, {"c": "two"}]}, "n": 12345678901234567890}`))
	if err != nil {
		t.Fatal(err)
	}
	for p, want := range map[string]string{"a.b.0.c": "1", "a.b.1.c": "two", "n": "12345678901234567890", "a.b.2.c": "", "a.b.x": "", "a.b.0.c.d": "", "a.b.-1": ""} {
		pp, err := parsePath(p)
		if err != nil {
			t.Fatal(err)
		}
		if got := text(get1(pp, v)); got != want {
			t.Errorf("%s = %q, want %q", p, got, want)
		}
	}
	if got := text(map[string]any{"x": true}); got != `{"x":true}` {
		t.Errorf("text of an object = %s", got)
	}
}

// TestReadmeExampleLoads keeps the configuration shown in README.md working.
func TestReadmeExampleLoads(t *testing.T) {
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, rest, ok := strings.Cut(string(readme), "```yaml\n")
	example, _, closed := strings.Cut(rest, "```")
	if !ok || !closed {
		t.Fatal("README.md has no yaml block")
	}
	cfg, err := loadText(t, example, map[string]string{"BACKOFFICE_TOKEN": "t"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := New(cfg); err != nil {
		t.Fatal(err)
	}
	if len(cfg.Operations) != 4 || len(cfg.Hydrators) != 1 {
		t.Fatalf("operations %d, hydrators %d", len(cfg.Operations), len(cfg.Hydrators))
	}
}
