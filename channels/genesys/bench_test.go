package genesys

import (
	"encoding/json"
	"fmt"
	"testing"

	"github.com/valyala/fasthttp"

	"github.com/frontdeskhq/frontdesk/channels/voice/voicetest"
)

// BenchmarkGenesysTurn measures one Bot Connector turn without the network: decode the JSON,
// check the header secret, run the turn on the router (the local plugin answers the customer
// and the CRM calls), and encode the answer. The turns cycle through the lost-card
// conversation: "I lost my card", "lost", then the "no" button.
func BenchmarkGenesysTurn(b *testing.B) {
	s := newServer(b)
	script := []struct {
		input InputMessage
		want  string
	}{
		{InputMessage{Type: "Text", Text: "I lost my card"}, `"frontdesk_node":"what_happened"`},
		{InputMessage{Type: "Text", Text: "lost"}, `"frontdesk_node":"replace"`},
		{InputMessage{Type: "Structured", Content: []Content{{ContentType: "ButtonResponse", ButtonResponse: &ButtonResponse{Type: "QuickReply", Text: "No", Payload: "no"}}}}, `"botState":"Complete"`},
	}
	voicetest.BenchTurns(b, s.ch.authed(s.ch.serveMessage), func(i int, req *fasthttp.Request) string {
		step := script[i%len(script)]
		body, _ := json.Marshal(BotRequest{BotID: "frontdesk", BotVersion: "1", BotSessionID: fmt.Sprintf("bench-%d", i/len(script)),
			MessageID: fmt.Sprint(i), InputMessage: step.input, LanguageCode: "en-us", Parameters: map[string]string{"customer_id": voicetest.Customer}})
		req.SetRequestURI(MessagesPath)
		req.Header.Set("X-Frontdesk-Secret", testAuth.Secret)
		req.SetBody(body)
		return step.want
	})
}
