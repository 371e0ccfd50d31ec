package settings

import (
	"bytes"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

type auth struct {
	Token string `yaml:"token" env:"T_TOKEN" doc:"API token" secret:"true"`
}

type config struct {
	URL     string            `yaml:"url" env:"T_URL" doc:"base URL"`
	Version string            `yaml:"version" env:"T_VERSION" doc:"API version"`
	Tries   int               `yaml:"tries" env:"T_TRIES" doc:"attempts"`
	Debug   bool              `yaml:"debug" env:"T_DEBUG"`
	Ratio   float64           `yaml:"ratio" env:"T_RATIO"`
	Timeout time.Duration     `yaml:"timeout" env:"T_TIMEOUT" doc:"per call"`
	Tags    []string          `yaml:"tags" env:"T_TAGS"`
	Extra   map[string]string `yaml:"extra"`
	Auth    auth              `yaml:"auth"`
}

func env(m map[string]string) func(string) (string, bool) {
	return func(k string) (string, bool) { v, ok := m[k]; return v, ok }
}

func write(t *testing.T, text string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "c.yaml")
	if err := os.WriteFile(p, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestLoadFileThenEnv(t *testing.T) {
	p := write(t, "url: https://file.example\nversion: v1\ntimeout: 3s\nextra: {a: b}\nauth: {token: from-file}\n")
	c := config{Version: "v0", Tries: 4}
	err := Load(p, env(map[string]string{"T_VERSION": "v2", "T_DEBUG": "true", "T_TAGS": "a, b,", "T_TOKEN": "from-env", "T_RATIO": "0.5"}), &c)
	if err != nil {
		t.Fatal(err)
	}
	want := config{URL: "https://file.example", Version: "v2", Tries: 4, Debug: true, Ratio: 0.5, Timeout: 3 * time.Second,
		Tags: []string{"a", "b"}, Extra: map[string]string{"a": "b"}, Auth: auth{Token: "from-env"}}
	if !reflect.DeepEqual(c, want) {
		t.Fatalf("got %+v\nwant %+v", c, want)
	}
}

func TestLoadErrors(t *testing.T) {
	for _, tc := range []struct {
		name, file string
		env        map[string]string
		want       string
	}{
		{"unknown key", "url: x\nverison: v1\n", nil, `c.yaml: [2:1] unknown field "verison"`},
		{"bad type", "tries: many\n", nil, "c.yaml: [1:8]"},
		{"bad int", "", map[string]string{"T_TRIES": "x"}, `T_TRIES="x": want a whole number`},
		{"bad bool", "", map[string]string{"T_DEBUG": "yes please"}, "T_DEBUG"},
		{"bad duration", "", map[string]string{"T_TIMEOUT": "10"}, "T_TIMEOUT"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := ""
			if tc.file != "" {
				p = write(t, tc.file)
			}
			var c config
			err := Load(p, env(tc.env), &c)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want it to contain %q", err, tc.want)
			}
		})
	}
	if err := Load("", env(nil), config{}); err == nil {
		t.Fatal("Load accepted a struct value")
	}
	if err := Load(filepath.Join(t.TempDir(), "missing.yaml"), env(nil), &config{}); err == nil {
		t.Fatal("Load accepted a missing file")
	}
}

func TestUsage(t *testing.T) {
	var b bytes.Buffer
	Usage(&b, &config{Version: "v9", Auth: auth{Token: "hidden"}})
	out := b.String()
	for _, want := range []string{"T_URL", "base URL", "T_VERSION", "(default v9)", "T_TOKEN", "auth.token"} {
		if !strings.Contains(out, want) {
			t.Errorf("usage lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "hidden") {
		t.Errorf("usage shows a secret:\n%s", out)
	}
}
