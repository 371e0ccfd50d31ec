package plugins

import (
	"strings"
	"testing"
	"time"

	"github.com/goccy/go-yaml"
)

// TestConfigFromYAML decodes the configuration as the README shows it.
func TestConfigFromYAML(t *testing.T) {
	src := `
plugins:
  - name: crm
    command: build/bin/frontdesk-local
    args: [--db, build/local.db]
    timeout: 2s
    max_concurrent: 8
    health_interval: 500ms
    env: { FRONTDESK_LOCAL_DB: x.db }
  - { name: loyalty, command: build/bin/frontdesk-loyalty, sha256: "` + strings.Repeat("0f", 32) + `" }
`
	var doc struct {
		Plugins []Config `yaml:"plugins"`
	}
	if err := yaml.Unmarshal([]byte(src), &doc); err != nil {
		t.Fatal(err)
	}
	cfgs, err := validate(doc.Plugins)
	if err != nil {
		t.Fatal(err)
	}
	crm, loyalty := cfgs[0], cfgs[1]
	if crm.Timeout != 2*time.Second || crm.MaxConcurrent != 8 || crm.HealthInterval != 500*time.Millisecond ||
		crm.Args[1] != "build/local.db" || crm.Env["FRONTDESK_LOCAL_DB"] != "x.db" || crm.StartTimeout != DefaultStartTimeout {
		t.Errorf("crm = %+v", crm)
	}
	if loyalty.Timeout != DefaultTimeout || loyalty.MaxConcurrent != DefaultMaxConcurrent || len(loyalty.SHA256) != 64 {
		t.Errorf("loyalty = %+v", loyalty)
	}
}

func TestConfigErrors(t *testing.T) {
	_, err := validate([]Config{
		{Name: "crm", Command: "a"},
		{Name: "crm", Command: "b"},
		{Name: "sms"},
		{Name: "9lives", Command: "c"},
		{Name: "slow", Command: "d", Timeout: -time.Second},
	})
	for _, want := range []string{`plugin "crm": listed twice`, `plugin "sms": no command`, `plugin name "9lives"`, `plugin "slow": negative`} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("validate error = %v, want it to say %s", err, want)
		}
	}
}
