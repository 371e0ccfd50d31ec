package main

import (
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// The voice and bot channels are mounted by serve with the example defaults (development:
// no credentials configured) and reach the same router: a card-lost turn on each.
func TestVoiceChannelsMounted(t *testing.T) {
	base, _ := startGateway(t)
	post := func(path, contentType, body string) string {
		t.Helper()
		resp, err := http.Post(base+path, contentType, strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		out, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != 200 {
			t.Fatalf("%s: %d %s", path, resp.StatusCode, out)
		}
		return string(out)
	}
	form := url.Values{"CallSid": {"CAgateway"}, "From": {"+447700900101"}}.Encode()
	if out := post("/v1/twilio/voice?customer_id=C-1001&intent=card_lost_stolen", "application/x-www-form-urlencoded", form); !strings.Contains(out, "If it was stolen, press 2.") {
		t.Fatalf("twilio: %s", out)
	}
	genesys := `{"botSessionId":"gw-1","messageId":"m1","inputMessage":{"type":"Text","text":"I lost my card"},"parameters":{"customer_id":"C-1001"}}`
	if out := post("/v1/genesys/botconnector/messages", "application/json", genesys); !strings.Contains(out, `"botState":"MoreData"`) {
		t.Fatalf("genesys: %s", out)
	}
	es := `{"session":"projects/p/agent/sessions/gw-2","queryResult":{"queryText":"card gone","intent":{"displayName":"card_lost_stolen"},"parameters":{"customer_id":"C-1001"}}}`
	if out := post("/v1/dialogflow/es", "application/json", es); !strings.Contains(out, `"frontdesk_node":"what_happened"`) {
		t.Fatalf("dialogflow: %s", out)
	}
}
