package config

import (
	"strings"
	"testing"
)

func TestEmailConfig(t *testing.T) {
	c, err := Parse("f.yaml", []byte(`policies: { dir: p }
email:
  mailboxes:
    - { address: Support@Example.com, host: imap.example.com, user: s, password: x, processed: Done }
  smtp: { host: smtp.example.com }
  link_intents: [change_address]
`))
	if err != nil {
		t.Fatal(err)
	}
	if !c.Email.Enabled() || c.Email.Devmail.Enabled || c.Email.Devmail.IMAP != "127.0.0.1:1143" {
		t.Errorf("email %+v", c.Email)
	}
	if off, _ := Parse("f.yaml", []byte("policies: { dir: p }\n")); off.Email.Enabled() {
		t.Error("email enabled without mailboxes or devmail")
	}
	for _, tt := range []struct{ src, want string }{
		{"email: { mailboxes: [ { address: a@b, user: u, password: p } ] }", "email.mailboxes[0]: host is required"},
		{"email: { mailboxes: [ { address: a@b, host: h, user: u } ] }", "email.mailboxes[0]: password or oauth_token is required"},
		{"email: { mailboxes: [ { address: a@b, host: h, user: u, password: p, security: ssl } ] }", `email.mailboxes[0]: security: "ssl" is not one of tls, starttls, none`},
		{"email: { mailboxes: [ { address: a@b, host: h, user: u, password: p } ] }", "email.smtp: host is required"},
		{"email: { mailboxes: [ { name: x, address: a@b, host: h, user: u, password: p }, { name: x, address: c@d, host: h, user: u, password: p } ], smtp: { host: s } }",
			`email.mailboxes[1]: the name "x" is taken`},
		{"email: { templates: { text: \"{{.Nope}}\" } }", "email.templates.text"},
		{"email: { rate_limit: { max: -1 } }", "cannot be negative"},
		{"email:\n  mailboxs: []", `f.yaml:[3:3] unknown field "mailboxs"`},
	} {
		_, err := Parse("f.yaml", []byte("policies: { dir: p }\n"+tt.src+"\n"))
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%q: got %v, want %q", tt.src, err, tt.want)
		}
	}
}
