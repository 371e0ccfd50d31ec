package config

import (
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestParse(t *testing.T) {
	t.Setenv("FD_TEST_TOKEN", "s3cret")
	c, err := Parse(filepath.Join("conf", "frontdesk.yaml"), []byte(`
listen: ":9000"
policies: { dir: ../policies }
api: { token: "${FD_TEST_TOKEN}" }
plugins:
  - { name: local, command: ./bin/frontdesk-local, env: { KEY: "x-${FD_TEST_TOKEN}" } }
services: { crm: local }
routing: { teams: { cards: [card_not_arrived] } }
limits: { request_timeout: 2s }
`))
	if err != nil {
		t.Fatal(err)
	}
	if c.API.Token != "s3cret" || c.Plugins[0].Env["KEY"] != "x-s3cret" {
		t.Fatalf("env not expanded: %+v", c)
	}
	wd, _ := filepath.Abs(".")
	if c.Policies.Dir != filepath.Join(wd, "policies") || c.Plugins[0].Command != filepath.Join(wd, "conf", "bin/frontdesk-local") {
		t.Fatalf("paths not resolved: %q %q", c.Policies.Dir, c.Plugins[0].Command)
	}
	if c.Limits.RequestTimeout != 2*time.Second || c.Routing.DefaultTeam != "general-support" || c.Session.Backend != "memory" {
		t.Fatalf("defaults: %+v", c)
	}
	// A config in the working directory: "./x" stays a path, never a name looked up on PATH.
	c, err = Parse("frontdesk.yaml", []byte("policies: { dir: p }\nplugins: [{ name: local, command: ./frontdesk-local }]\n"))
	if err != nil || c.Plugins[0].Command != filepath.Join(wd, "frontdesk-local") {
		t.Fatalf("./frontdesk-local beside a relative config: %q, %v", c.Plugins[0].Command, err)
	}
}

func TestBadConfigs(t *testing.T) {
	for _, tt := range []struct{ src, want string }{
		{"policies: { dir: p }\nlistn: x\n", `f.yaml:[2:1] unknown field "listn"`},
		{"policies: { dir: p }\napi: { token: \"${FD_SURELY_UNSET}\" }\n", "FD_SURELY_UNSET is not set"},
		{"listen: x\n", "policies.dir"},
		{"policies: { dir: p }\nsession: { backend: redis }\n", "session.url: the redis backend needs a Redis URL"},
		{"policies: { dir: p }\nsession: { backend: etcd }\n", `session.backend: "etcd" is not one of memory, redis`},
		{"policies: { dir: p }\nstore: { driver: postgres }\n", "store.url: the postgres driver needs a PostgreSQL URL"},
		{"policies: { dir: p }\nservices: { crm: nope }\n", `services.crm: no plugin named "nope"`},
		{"policies: { dir: p }\nlimits: { max_body_bytes: lots }\n", "f.yaml:[2:"},
		{"policies: { dir: p }\nlog: { level: loud }\n", "log.level"},
	} {
		_, err := Parse("f.yaml", []byte(tt.src))
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%q: got %v, want %q", tt.src, err, tt.want)
		}
	}
}
