package webhookauth

import (
	"encoding/base64"
	"errors"
	"testing"

	"github.com/valyala/fasthttp"
)

func TestCheck(t *testing.T) {
	both := Config{Username: "genesys", Password: "pw", Header: "X-Frontdesk-Secret", Secret: "s3cret"}
	basicOf := func(u, p string) string { return "Basic " + base64.StdEncoding.EncodeToString([]byte(u+":"+p)) }
	for _, c := range []struct {
		name    string
		cfg     Config
		headers map[string]string
		want    error
	}{
		{"open", Config{}, nil, nil},
		{"nothing sent", both, nil, ErrMissing},
		{"basic", both, map[string]string{"Authorization": basicOf("genesys", "pw")}, nil},
		{"wrong password", both, map[string]string{"Authorization": basicOf("genesys", "no")}, ErrWrong},
		{"wrong user", both, map[string]string{"Authorization": basicOf("x", "pw")}, ErrWrong},
		{"not base64", both, map[string]string{"Authorization": "Basic %%%"}, ErrMissing},
		{"header", both, map[string]string{"X-Frontdesk-Secret": "s3cret"}, nil},
		{"wrong header", both, map[string]string{"X-Frontdesk-Secret": "s3cre"}, ErrWrong},
		{"header only config ignores basic", Config{Header: "X-S", Secret: "a"}, map[string]string{"Authorization": basicOf("a", "a")}, ErrMissing},
	} {
		var h fasthttp.RequestHeader
		for k, v := range c.headers {
			h.Set(k, v)
		}
		if err := c.cfg.Check(&h); !errors.Is(err, c.want) || (c.want == nil && err != nil) {
			t.Errorf("%s: got %v, want %v", c.name, err, c.want)
		}
	}
}
