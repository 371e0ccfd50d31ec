package inapp

import (
	"slices"
	"testing"

	"github.com/frontdeskhq/frontdesk/channels/api"
	"github.com/frontdeskhq/frontdesk/core/message"
)

// FuzzInput feeds arbitrary bodies through the input endpoint's parsing and checks: never a
// panic, and what passes holds only the screen's inputs, as strings.
func FuzzInput(f *testing.F) {
	for _, seed := range []string{
		`{"data":{"street":"Torstrasse 1","city":"Berlin","postcode":"10119"}}`,
		`{"screen_id":"collect","data":{"street":1e400,"city":true,"postcode":null}}`,
		`{"data":{"choice":"yes"}}`,
		`{"data":{"street":{"x":[1,2]}}}`,
		`{"data":[]}`,
		`{"data":{"score":"4"}}`,
		`{"data":{"\u0000":"\ud800"}}`,
		`{`,
	} {
		f.Add([]byte(seed))
	}
	form := &message.Reply{Node: "collect", Form: []message.Field{{Name: "street", Required: true}, {Name: "city"}, {Name: "postcode"}}}
	choice := &message.Reply{Node: "confirm", Choices: []message.Choice{{Value: "yes"}, {Value: "no"}}}
	f.Fuzz(func(t *testing.T, body []byte) {
		var req InputRequest
		if err := api.DecodeStrict(body, &req, "input"); err != nil {
			return
		}
		scoreOf(req.Data)
		for _, q := range []*message.Reply{form, choice} {
			in, problems := checkInput(q, req.Data)
			if problems != nil {
				continue
			}
			names := inputNames(q)
			for k, v := range in {
				if _, ok := v.(string); !ok || !slices.Contains(names, k) {
					t.Fatalf("checkInput passed %q=%v (%T)", k, v, v)
				}
			}
		}
	})
}
