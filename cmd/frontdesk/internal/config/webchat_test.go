package config

import (
	"strings"
	"testing"
)

func TestWebchatSection(t *testing.T) {
	c, err := Parse("f.yaml", []byte(`policies: { dir: p }
webchat:
  greeting: Hi
  rate: 2
  jwt: { issuer: "https://portal.example", audience: frontdesk, hmac_keys: ["0123456789abcdef0123456789abcdef"] }
`))
	if err != nil {
		t.Fatal(err)
	}
	if !c.Webchat.JWT.Enabled() || c.Webchat.Rate != 2 || c.Webchat.Greeting != "Hi" {
		t.Fatalf("webchat: %+v", c.Webchat)
	}
	for _, tt := range []struct{ src, want string }{
		{"jwt: { issuer: i, audience: a }", "webchat.jwt: issuer and audience are set but no hmac_keys"},
		{`jwt: { hmac_keys: ["0123456789abcdef0123456789abcdef"] }`, "webchat.jwt: issuer and audience are required"},
		{`jwt: { issuer: i, audience: a, hmac_keys: [short] }`, "webchat.jwt.hmac_keys[0]: a secret needs at least 32 bytes"},
		{"rate: -1", "cannot be negative"},
		{`jwt: { issuer: i, audience: a, rsa_public_keys: ["not a key"] }`, "webchat.jwt.rsa_public_keys[0]: auth: no PEM block"},
		{"jwt: { issuer: i, audence: a }", `unknown field "audence"`},
	} {
		_, err := Parse("f.yaml", []byte("policies: { dir: p }\nwebchat: { "+strings.TrimSpace(tt.src)+" }\n"))
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: got %v, want %q", tt.src, err, tt.want)
		}
	}
}
