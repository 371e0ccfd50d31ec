package twilio

import (
	"fmt"
	"net/url"
	"testing"

	"github.com/valyala/fasthttp"

	"github.com/frontdeskhq/frontdesk/channels/voice/voicetest"
)

// BenchmarkTwilioTurn measures one webhook turn without the network: decode the form, check
// the signature and replay, run the turn on the router (the local plugin answers the
// customer and the CRM calls), and write the TwiML. The turns cycle through the lost-card
// call: the call comes in naming its intent, the caller presses 1, then says yes.
func BenchmarkTwilioTurn(b *testing.B) {
	s := newServer(b, Config{AuthToken: testToken})
	script := []struct {
		query string
		form  url.Values
		want  string
	}{
		{"customer_id=" + voicetest.Customer + "&intent=card_lost_stolen", url.Values{}, "press 1"},
		{"turn=1", url.Values{"Digits": {"1"}}, "replacement card"},
		{"turn=2", url.Values{"SpeechResult": {"Yes please"}}, "<Hangup/>"},
	}
	voicetest.BenchTurns(b, s.ch.serve, func(i int, req *fasthttp.Request) string {
		step := script[i%len(script)]
		form := url.Values{"CallSid": {fmt.Sprintf("CAbench%d", i/len(script))}, "From": {"+447700900101"}, "To": {"+14155550100"}}
		for k, v := range step.form {
			form[k] = v
		}
		uri := Path + "?" + step.query
		req.SetRequestURI(uri)
		req.Header.Set("X-Twilio-Signature", Signature(testToken, publicURL+uri, form))
		req.SetBodyString(form.Encode())
		return step.want
	})
}
