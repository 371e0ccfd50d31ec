package dialogflow

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

var testAuth = webhookauth.Config{Username: "dialogflow", Password: "fulfillment-pw", Header: "X-Frontdesk-Secret", Secret: "cx-header-secret"}

type server struct {
	base  string
	stack *voicetest.Stack
	ch    *Channel
}

func newServer(t testing.TB) *server {
	t.Helper()
	s := &server{stack: voicetest.Start(t)}
	s.ch = New(Config{Auth: testAuth, TransferNumber: "+14155550199", Intents: map[string]string{"Lost card": "card_lost_stolen"}},
		s.stack.Voice(t, message.ChannelDialogflow), s.stack.Intents, voicetest.Quiet)
	s.base = voicetest.Serve(t, s.ch.Mount)
	return s
}

// post sends a request with Basic credentials (or the given headers).
func (s *server) post(t *testing.T, path, body string, headers map[string]string) (int, []byte) {
	t.Helper()
	if headers == nil {
		headers = map[string]string{"Authorization": "Basic " + base64.StdEncoding.EncodeToString([]byte(testAuth.Username+":"+testAuth.Password))}
	}
	return voicetest.Do(t, "POST", s.base+path, body, headers)
}

var golden = voicetest.Golden

// es sends an ES turn of a session and decodes the answer.
func (s *server) es(t *testing.T, session, text, intent string, fallback bool) ESResponse {
	t.Helper()
	body, _ := json.Marshal(ESRequest{ResponseID: "r", Session: "projects/p/agent/sessions/" + session, QueryResult: ESQueryResult{
		QueryText: text, Parameters: map[string]any{"customer_id": voicetest.Customer}, LanguageCode: "en",
		Intent: ESIntent{DisplayName: intent, IsFallback: fallback}, IntentDetectionConfidence: 0.9}})
	status, out := s.post(t, ESPath, string(body), nil)
	if status != 200 {
		t.Fatalf("status %d: %s", status, out)
	}
	var r ESResponse
	if err := json.Unmarshal(out, &r); err != nil {
		t.Fatal(err)
	}
	return r
}

func TestCardLostThroughES(t *testing.T) {
	s := newServer(t)

	t.Run("golden turns: stolen, by a fallback-matched answer", func(t *testing.T) {
		status, out := s.post(t, ESPath, golden(t, "es-request.json"), nil)
		if status != 200 {
			t.Fatalf("%d %s", status, out)
		}
		voicetest.GoldenJSON(t, filepath.Join("testdata", "es-response-question.json"), out)
		status, out = s.post(t, ESPath, golden(t, "es-request-answer.json"), nil)
		if status != 200 {
			t.Fatalf("%d %s", status, out)
		}
		voicetest.GoldenJSON(t, filepath.Join("testdata", "es-response-handoff.json"), out)
		c, log := s.stack.Case(t, "dialogflow-7c1e9d2a-4b3f-4e6a-8c5d-2f1a0b9e8d7c")
		if c.Queue != "fraud" || !strings.Contains(log, "intent card_lost_stolen (confidence 1.00, named by the client)") {
			t.Fatalf("case %+v\n%s", c, log)
		}
	})

	t.Run("lost, with a mapped intent name", func(t *testing.T) {
		r := s.es(t, "es2", "my card is gone", "Lost card", false)
		if r.OutputContexts[0].Parameters[ParamNode] != "what_happened" || r.FulfillmentMessages[1].QuickReplies == nil {
			t.Fatalf("question %+v", r)
		}
		if r = s.es(t, "es2", "Lost", "Default Fallback Intent", true); r.OutputContexts[0].Parameters[ParamNode] != "replace" {
			t.Fatalf("replace %+v", r)
		}
		r = s.es(t, "es2", "yes", "Default Fallback Intent", true)
		ps := r.OutputContexts[0].Parameters
		if ps[ParamResolution] != "replacement_requested" || ps[ParamDone] != true || r.OutputContexts[0].LifespanCount != 1 {
			t.Fatalf("end %+v", r)
		}
	})

	t.Run("an intent no policy serves is classified from the text", func(t *testing.T) {
		if r := s.es(t, "es3", "my card was stolen", "Small talk", false); r.OutputContexts[0].Parameters[ParamNode] != "what_happened" {
			t.Fatalf("got %+v", r)
		}
	})

	t.Run("a slow turn holds, and the next request gets its answer", func(t *testing.T) {
		s.ch.cfg.AnswerWithin = 100 * time.Millisecond
		s.stack.Sleep = 500 * time.Millisecond
		r := s.es(t, "es4", "slow", "slow_test", false)
		if r.OutputContexts[0].Parameters[ParamStatus] != "pending" || !strings.Contains(r.FulfillmentText, "One moment") {
			t.Fatalf("holding %+v", r)
		}
		time.Sleep(time.Second)
		if r = s.es(t, "es4", "continue", "Default Fallback Intent", true); r.FulfillmentText != "All done." {
			t.Fatalf("late answer %+v", r)
		}
	})
}

func TestCardLostThroughCX(t *testing.T) {
	s := newServer(t)
	status, out := s.post(t, CXPath, golden(t, "cx-request.json"), map[string]string{"X-Frontdesk-Secret": testAuth.Secret})
	if status != 200 {
		t.Fatalf("%d %s", status, out)
	}
	voicetest.GoldenJSON(t, filepath.Join("testdata", "cx-response-question.json"), out)
	status, out = s.post(t, CXPath, golden(t, "cx-request-dtmf.json"), map[string]string{"X-Frontdesk-Secret": testAuth.Secret})
	if status != 200 {
		t.Fatalf("%d %s", status, out)
	}
	voicetest.GoldenJSON(t, filepath.Join("testdata", "cx-response-replace.json"), out)
	// The last answer by the page's tag-less text: no.
	body := strings.Replace(golden(t, "cx-request-dtmf.json"), `"dtmfDigits": "1"`, `"text": "No, thanks"`, 1)
	_, out = s.post(t, CXPath, body, map[string]string{"X-Frontdesk-Secret": testAuth.Secret})
	var r CXResponse
	if err := json.Unmarshal(out, &r); err != nil {
		t.Fatal(err)
	}
	if r.SessionInfo.Parameters[ParamResolution] != "card_reported" {
		t.Fatalf("end %s", out)
	}
	if c, _ := s.stack.Case(t, "dialogflow-0b1c2d3e-4f5a-4b6c-8d7e-9f0a1b2c3d4e"); c.Category != "card_lost" {
		t.Fatalf("case %+v", c)
	}
}

func TestAuthAndBadRequests(t *testing.T) {
	s := newServer(t)
	for _, c := range []struct {
		name, path, body string
		headers          map[string]string
		status           int
		want             string
	}{
		{"no credentials", ESPath, golden(t, "es-request.json"), map[string]string{}, 401, `"status":"UNAUTHENTICATED"`},
		{"wrong basic", ESPath, golden(t, "es-request.json"), map[string]string{"Authorization": "Basic ZGlhbG9nZmxvdzpubw=="}, 403, `"status":"PERMISSION_DENIED"`},
		{"wrong header", CXPath, golden(t, "cx-request.json"), map[string]string{"X-Frontdesk-Secret": "x"}, 403, `"code":403`},
		{"not JSON", ESPath, "{", nil, 400, `"status":"INVALID_ARGUMENT"`},
		{"no session", ESPath, `{"queryResult":{"queryText":"hi"}}`, nil, 400, "not a session path"},
		{"CX no session", CXPath, `{"text":"hi","sessionInfo":{"session":"projects/p/sessions/"}}`, nil, 400, "not a session path"},
	} {
		status, out := s.post(t, c.path, c.body, c.headers)
		if status != c.status || !strings.Contains(string(out), c.want) {
			t.Errorf("%s: %d %s", c.name, status, out)
		}
	}
}

func FuzzDecodeES(f *testing.F) {
	f.Add([]byte(golden(f, "es-request.json")))
	f.Add([]byte(golden(f, "es-request-answer.json")))
	f.Fuzz(func(t *testing.T, body []byte) {
		if r, err := DecodeES(body); err == nil && sessionID(r.Session) == "" {
			t.Fatalf("accepted %+v", r)
		}
	})
}

func FuzzDecodeCX(f *testing.F) {
	f.Add([]byte(golden(f, "cx-request.json")))
	f.Add([]byte(golden(f, "cx-request-dtmf.json")))
	f.Fuzz(func(t *testing.T, body []byte) {
		if r, err := DecodeCX(body); err == nil && sessionID(r.SessionInfo.Session) == "" {
			t.Fatalf("accepted %+v", r)
		}
	})
}
