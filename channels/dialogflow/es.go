package dialogflow

import (
	"encoding/json"
	"fmt"
	"maps"
	"strings"

	"github.com/valyala/fasthttp"

	"github.com/frontdeskhq/frontdesk/channels/voice"
	"github.com/frontdeskhq/frontdesk/core/httpserver"
)

// ESRequest is a Dialogflow ES fulfillment WebhookRequest.
type ESRequest struct {
	ResponseID  string        `json:"responseId"`
	Session     string        `json:"session"`
	QueryResult ESQueryResult `json:"queryResult"`
	// OriginalDetectIntentRequest carries the integration's own payload (telephony, chat).
	OriginalDetectIntentRequest json.RawMessage `json:"originalDetectIntentRequest,omitempty"`
}

// ESQueryResult is what the agent understood of the turn.
type ESQueryResult struct {
	QueryText                 string         `json:"queryText"`
	Parameters                map[string]any `json:"parameters,omitempty"`
	AllRequiredParamsPresent  bool           `json:"allRequiredParamsPresent"`
	FulfillmentText           string         `json:"fulfillmentText,omitempty"`
	OutputContexts            []ESContext    `json:"outputContexts,omitempty"`
	Intent                    ESIntent       `json:"intent"`
	IntentDetectionConfidence float64        `json:"intentDetectionConfidence"`
	LanguageCode              string         `json:"languageCode"`
}

// ESIntent names the matched intent.
type ESIntent struct {
	Name        string `json:"name"`
	DisplayName string `json:"displayName"`
	IsFallback  bool   `json:"isFallback,omitempty"`
}

// ESContext is an input or output context.
type ESContext struct {
	Name          string         `json:"name"`
	LifespanCount int            `json:"lifespanCount,omitempty"`
	Parameters    map[string]any `json:"parameters,omitempty"`
}

// ESResponse is a Dialogflow ES WebhookResponse.
type ESResponse struct {
	FulfillmentText     string      `json:"fulfillmentText,omitempty"`
	FulfillmentMessages []ESMessage `json:"fulfillmentMessages,omitempty"`
	OutputContexts      []ESContext `json:"outputContexts,omitempty"`
	Source              string      `json:"source,omitempty"`
}

// ESMessage is one fulfillment message: text, quick replies, or a telephony action.
type ESMessage struct {
	Platform                  string              `json:"platform,omitempty"`
	Text                      *ESText             `json:"text,omitempty"`
	QuickReplies              *ESQuickReplies     `json:"quickReplies,omitempty"`
	TelephonySynthesizeSpeech *ESSynthesizeSpeech `json:"telephonySynthesizeSpeech,omitempty"`
	TelephonyTransferCall     *ESTransferCall     `json:"telephonyTransferCall,omitempty"`
}

// ESText is a text message.
type ESText struct {
	Text []string `json:"text"`
}

// ESQuickReplies offers answers as buttons.
type ESQuickReplies struct {
	Title        string   `json:"title,omitempty"`
	QuickReplies []string `json:"quickReplies"`
}

// ESSynthesizeSpeech is speech for the phone gateway, as text or SSML.
type ESSynthesizeSpeech struct {
	Text string `json:"text,omitempty"`
	SSML string `json:"ssml,omitempty"`
}

// ESTransferCall transfers a phone-gateway call.
type ESTransferCall struct {
	PhoneNumber string `json:"phoneNumber"`
}

// DecodeES reads and checks an ES webhook request.
func DecodeES(body []byte) (ESRequest, error) {
	var r ESRequest
	if err := json.Unmarshal(body, &r); err != nil {
		return r, fmt.Errorf("%w: %v", ErrBadRequest, err)
	}
	if sessionID(r.Session) == "" {
		return r, fmt.Errorf("%w: session %q is not a session path", ErrBadRequest, r.Session)
	}
	return r, nil
}

// sessionID is the last segment of a session path (projects/P/agent/sessions/ID, or with
// locations, agents and environments for CX).
func sessionID(path string) string {
	_, id, ok := strings.Cut(path, "/sessions/")
	if !ok || id == "" || strings.Contains(id, "/") {
		return ""
	}
	return id
}

func (c *Channel) serveES(ctx *fasthttp.RequestCtx) {
	req, err := DecodeES(ctx.PostBody())
	if err != nil {
		writeError(ctx, fasthttp.StatusBadRequest, "INVALID_ARGUMENT", err.Error())
		return
	}
	q := req.QueryResult
	tr := turnRequest{session: req.Session, text: q.QueryText, params: map[string]any{}, language: q.LanguageCode}
	if !q.Intent.IsFallback {
		tr.intent = q.Intent.DisplayName
	}
	// Parameters of frontdesk's context first, so this turn's parameters win.
	for _, cx := range q.OutputContexts {
		if strings.HasSuffix(cx.Name, "/contexts/"+ContextName) {
			maps.Copy(tr.params, cx.Parameters)
		}
	}
	maps.Copy(tr.params, q.Parameters)
	p, status := c.run(ctx, tr)
	httpserver.WriteJSON(ctx, fasthttp.StatusOK, c.esResponse(req, tr, p, status))
}

// esResponse writes the prompt as text, quick replies for its choices, speech for the phone
// gateway, a transfer on hand-off when configured, and frontdesk's context.
func (c *Channel) esResponse(req ESRequest, tr turnRequest, p voice.Prompt, status string) ESResponse {
	resp := ESResponse{FulfillmentText: p.Say, Source: "frontdesk"}
	if p.Say != "" {
		resp.FulfillmentMessages = append(resp.FulfillmentMessages, ESMessage{Text: &ESText{Text: []string{p.Say}}})
	}
	if len(p.Choices) > 0 {
		resp.FulfillmentMessages = append(resp.FulfillmentMessages, ESMessage{QuickReplies: &ESQuickReplies{QuickReplies: labels(p)}})
	}
	if p.SSML != "" {
		resp.FulfillmentMessages = append(resp.FulfillmentMessages, ESMessage{Platform: "TELEPHONY", TelephonySynthesizeSpeech: &ESSynthesizeSpeech{SSML: p.SSML}})
	}
	if p.Handoff != nil && c.cfg.TransferNumber != "" {
		resp.FulfillmentMessages = append(resp.FulfillmentMessages, ESMessage{Platform: "TELEPHONY", TelephonyTransferCall: &ESTransferCall{PhoneNumber: c.cfg.TransferNumber}})
	}
	ps := params("dialogflow-"+sessionID(req.Session), p, status)
	if id := str(tr.params["customer_id"]); id != "" {
		ps["customer_id"] = id
	}
	lifespan := 50
	if !p.Listen {
		lifespan = 1 // the outcome is readable on the next turn, then the context ends
	}
	resp.OutputContexts = []ESContext{{Name: req.Session + "/contexts/" + ContextName, LifespanCount: lifespan, Parameters: ps}}
	return resp
}
