package genesys

import (
	"encoding/base64"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/frontdeskhq/frontdesk/channels/voice/voicetest"
	"github.com/frontdeskhq/frontdesk/channels/voice/webhookauth"
	"github.com/frontdeskhq/frontdesk/core/message"
)

var testAuth = webhookauth.Config{Username: "genesys", Password: "bot-connector-pw", Header: "X-Frontdesk-Secret", Secret: "header-secret-123"}

type server struct {
	base  string
	stack *voicetest.Stack
	ch    *Channel
}

func newServer(t testing.TB) *server {
	t.Helper()
	s := &server{stack: voicetest.Start(t)}
	s.ch = New(Config{Auth: testAuth}, s.stack.Voice(t, message.ChannelGenesys), s.stack.Intents, voicetest.Quiet)
	s.base = voicetest.Serve(t, s.ch.Mount)
	return s
}

// do sends a request with the header secret (or the given headers).
func (s *server) do(t *testing.T, method, path, body string, headers map[string]string) (int, []byte) {
	t.Helper()
	if headers == nil {
		headers = map[string]string{"X-Frontdesk-Secret": testAuth.Secret}
	}
	return voicetest.Do(t, method, s.base+path, body, headers)
}

var golden = voicetest.Golden

// botTurn sends a Bot Connector turn of session id and decodes the answer.
func (s *server) botTurn(t *testing.T, session, text, button string, params map[string]string) (BotResponse, []byte) {
	t.Helper()
	req := BotRequest{BotID: "frontdesk", BotVersion: "1", BotSessionID: session, MessageID: session + text + button,
		InputMessage: InputMessage{Type: "Text", Text: text}, LanguageCode: "en-us", BotSessionTimeout: 30,
		GenesysConversationID: "conv-" + session, Parameters: params}
	if button != "" {
		req.InputMessage = InputMessage{Type: "Structured", Text: button, Content: []Content{{ContentType: "ButtonResponse",
			ButtonResponse: &ButtonResponse{Type: "QuickReply", Text: button, Payload: button}}}}
	}
	body, _ := json.Marshal(req)
	status, out := s.do(t, "POST", MessagesPath, string(body), nil)
	if status != 200 {
		t.Fatalf("status %d: %s", status, out)
	}
	var resp BotResponse
	if err := json.Unmarshal(out, &resp); err != nil {
		t.Fatal(err)
	}
	return resp, out
}

func TestCardLostThroughBotConnector(t *testing.T) {
	s := newServer(t)

	t.Run("golden turns: stolen goes to fraud", func(t *testing.T) {
		status, out := s.do(t, "POST", MessagesPath, golden(t, "request-text.json"), nil)
		if status != 200 {
			t.Fatalf("status %d: %s", status, out)
		}
		voicetest.GoldenJSON(t, filepath.Join("testdata", "response-moredata.json"), out)
		status, out = s.do(t, "POST", MessagesPath, golden(t, "request-structured.json"), nil)
		if status != 200 {
			t.Fatalf("status %d: %s", status, out)
		}
		voicetest.GoldenJSON(t, filepath.Join("testdata", "response-complete-handoff.json"), out)
		c, log := s.stack.Case(t, "genesys-5f0a7d3e-2c4b-4e8a-9b1d-0e6f7a8b9c0d")
		if c.Queue != "fraud" || !strings.Contains(log, "handoff at fraud done") {
			t.Fatalf("case %+v\n%s", c, log)
		}
	})

	t.Run("lost, by speech and key, ends Complete with the resolution", func(t *testing.T) {
		params := map[string]string{"customer_id": voicetest.Customer}
		r, _ := s.botTurn(t, "s2", "I lost my card", "", params)
		if r.BotState != StateMoreData || r.Parameters[ParamNode] != "what_happened" {
			t.Fatalf("question %+v", r)
		}
		if r, _ = s.botTurn(t, "s2", "lost", "", nil); r.Parameters[ParamNode] != "replace" {
			t.Fatalf("replace %+v", r)
		}
		r, _ = s.botTurn(t, "s2", "", "no", nil)
		if r.BotState != StateComplete || r.Parameters[ParamResolution] != "card_reported" || r.Parameters[ParamHandoff] != "false" ||
			r.Entities[0] != (Entity{Name: "resolution", Value: EntityValue{Raw: "card_reported"}}) {
			t.Fatalf("end %+v", r)
		}
	})

	t.Run("answers that match no choice are asked again, then handed off", func(t *testing.T) {
		s.botTurn(t, "s3", "my card was stolen or lost", "", map[string]string{"customer_id": voicetest.Customer})
		for i := 0; i < 2; i++ {
			r, _ := s.botTurn(t, "s3", "bananas", "", nil)
			if r.BotState != StateMoreData || !strings.HasPrefix(r.ReplyMessages[0].Text, "Sorry, I did not get that.") {
				t.Fatalf("reprompt %+v", r)
			}
		}
		r, _ := s.botTurn(t, "s3", "bananas", "", nil)
		if r.BotState != StateComplete || r.Parameters[ParamHandoff] != "true" || r.Intent != "card_lost_stolen" {
			t.Fatalf("hand-off %+v", r)
		}
	})

	t.Run("a slow turn fails cleanly within the limit", func(t *testing.T) {
		s.ch.cfg.AnswerWithin = 200 * time.Millisecond
		s.stack.Sleep = 3 * time.Second
		start := time.Now()
		r, _ := s.botTurn(t, "s4", "slow", "", nil)
		if took := time.Since(start); took > 2*time.Second {
			t.Fatalf("took %s", took)
		}
		if r.BotState != StateFailed || r.ErrorInfo == nil || r.ErrorInfo.ErrorCode != "timeout" {
			t.Fatalf("got %+v", r)
		}
	})
}

func TestDataAction(t *testing.T) {
	s := newServer(t)
	status, out := s.do(t, "POST", DataActionURL, golden(t, "dataaction-request.json"), nil)
	if status != 200 {
		t.Fatalf("status %d: %s", status, out)
	}
	voicetest.GoldenJSON(t, filepath.Join("testdata", "dataaction-response.json"), out)
	for _, c := range []struct{ body, want string }{
		{`{"conversationId":"8a2f6c1e-9d4b-4f7a-b3e5-1c2d3e4f5a6b","noInput":true}`, `"waiting":true`},
		{`{"conversationId":"8a2f6c1e-9d4b-4f7a-b3e5-1c2d3e4f5a6b","text":"1"}`, `"node":"replace"`},
		{`{"conversationId":"8a2f6c1e-9d4b-4f7a-b3e5-1c2d3e4f5a6b","text":"2"}`, `"resolution":"card_reported"`},
	} {
		status, out := s.do(t, "POST", DataActionURL, c.body, nil)
		if status != 200 || !strings.Contains(string(out), c.want) {
			t.Fatalf("%s: %d %s", c.body, status, out)
		}
	}
	if status, out := s.do(t, "POST", DataActionURL, `{"conversationId":"x"}`, nil); status != 400 || !strings.Contains(string(out), "noInput") {
		t.Fatalf("empty turn: %d %s", status, out)
	}
}

func TestAuthAndBadRequests(t *testing.T) {
	s := newServer(t)
	basic := "Basic " + base64.StdEncoding.EncodeToString([]byte("genesys:bot-connector-pw"))
	for _, c := range []struct {
		name, method, path, body string
		headers                  map[string]string
		status                   int
		want                     string
	}{
		{"no credentials", "POST", MessagesPath, golden(t, "request-text.json"), map[string]string{}, 401, `"errorCode":"unauthorized"`},
		{"wrong secret", "POST", MessagesPath, golden(t, "request-text.json"), map[string]string{"X-Frontdesk-Secret": "guess"}, 403, `"botState":"Failed"`},
		{"wrong basic", "POST", DataActionURL, "{}", map[string]string{"Authorization": "Basic Z2VuZXN5czpubw=="}, 403, "forbidden"},
		{"basic", "GET", BotsPath, "", map[string]string{"Authorization": basic}, 200, `"id":"frontdesk"`},
		{"bot", "GET", BotsPath + "/frontdesk", "", nil, 200, `"name":"card_lost_stolen"`},
		{"no such bot", "GET", BotsPath + "/other", "", nil, 404, "not_found"},
		{"not JSON", "POST", MessagesPath, "{", nil, 400, `"errorCode":"bad_request"`},
		{"no session", "POST", MessagesPath, `{"inputMessage":{"type":"Text","text":"hi"}}`, nil, 400, "botSessionId is required"},
		{"bad type", "POST", MessagesPath, `{"botSessionId":"x","inputMessage":{"type":"Audio"}}`, nil, 400, "not Text or Structured"},
		{"data action not JSON", "POST", DataActionURL, "[]", nil, 400, "bad_request"},
	} {
		status, out := s.do(t, c.method, c.path, c.body, c.headers)
		if status != c.status || !strings.Contains(string(out), c.want) {
			t.Errorf("%s: %d %s", c.name, status, out)
		}
	}
}

func FuzzDecodeBotRequest(f *testing.F) {
	f.Add([]byte(golden(f, "request-text.json")))
	f.Add([]byte(golden(f, "request-structured.json")))
	f.Add([]byte(`{"botSessionId":"x","inputMessage":{"type":"Structured","content":[{"contentType":"QuickReply","quickReply":{"payload":"a"}}]}}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		r, err := DecodeBotRequest(body)
		if err == nil && r.BotSessionID == "" {
			t.Fatalf("accepted %+v", r)
		}
		if err == nil {
			r.Answer()
		}
	})
}

func FuzzDecodeActionInput(f *testing.F) {
	f.Add([]byte(golden(f, "dataaction-request.json")))
	f.Add([]byte(`{"conversationId":"c","noInput":true}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		in, err := DecodeActionInput(body)
		if err == nil && in.ConversationID == "" {
			t.Fatalf("accepted %+v", in)
		}
	})
}
