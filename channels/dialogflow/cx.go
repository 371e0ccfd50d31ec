package dialogflow

import (
	"encoding/json"
	"fmt"
	"maps"

	"github.com/valyala/fasthttp"

	"github.com/frontdeskhq/frontdesk/channels/voice"
	"github.com/frontdeskhq/frontdesk/core/httpserver"
)

// CXRequest is a Dialogflow CX WebhookRequest.
type CXRequest struct {
	DetectIntentResponseID string            `json:"detectIntentResponseId"`
	IntentInfo             *CXIntentInfo     `json:"intentInfo,omitempty"`
	PageInfo               *CXPageInfo       `json:"pageInfo,omitempty"`
	SessionInfo            CXSessionInfo     `json:"sessionInfo"`
	FulfillmentInfo        CXFulfillmentInfo `json:"fulfillmentInfo"`
	Messages               []CXMessage       `json:"messages,omitempty"`
	// Text, Transcript (speech), TriggerIntent, TriggerEvent and DTMFDigits are the turn's
	// input, one of them set.
	Text          string `json:"text,omitempty"`
	Transcript    string `json:"transcript,omitempty"`
	TriggerIntent string `json:"triggerIntent,omitempty"`
	TriggerEvent  string `json:"triggerEvent,omitempty"`
	DTMFDigits    string `json:"dtmfDigits,omitempty"`
	LanguageCode  string `json:"languageCode"`
}

// CXIntentInfo is the matched intent.
type CXIntentInfo struct {
	LastMatchedIntent string         `json:"lastMatchedIntent"`
	DisplayName       string         `json:"displayName"`
	Parameters        map[string]any `json:"parameters,omitempty"`
	Confidence        float64        `json:"confidence"`
}

// CXPageInfo is the current page.
type CXPageInfo struct {
	CurrentPage string `json:"currentPage"`
	DisplayName string `json:"displayName,omitempty"`
}

// CXSessionInfo is the session and its parameters.
type CXSessionInfo struct {
	Session    string         `json:"session,omitempty"`
	Parameters map[string]any `json:"parameters,omitempty"`
}

// CXFulfillmentInfo carries the webhook tag the fulfillment was configured with.
type CXFulfillmentInfo struct {
	Tag string `json:"tag"`
}

// CXMessage is a response message: text, a custom payload (chips), or a live-agent hand-off.
type CXMessage struct {
	Text             *CXText         `json:"text,omitempty"`
	Payload          map[string]any  `json:"payload,omitempty"`
	OutputAudioText  *CXOutputAudio  `json:"outputAudioText,omitempty"`
	LiveAgentHandoff *CXAgentHandoff `json:"liveAgentHandoff,omitempty"`
}

// CXText is a text message.
type CXText struct {
	Text []string `json:"text"`
}

// CXOutputAudio is speech as text or SSML.
type CXOutputAudio struct {
	Text string `json:"text,omitempty"`
	SSML string `json:"ssml,omitempty"`
}

// CXAgentHandoff asks the integration to hand the session to a human agent.
type CXAgentHandoff struct {
	Metadata map[string]any `json:"metadata"`
}

// CXResponse is a Dialogflow CX WebhookResponse.
type CXResponse struct {
	FulfillmentResponse *CXFulfillmentResponse `json:"fulfillmentResponse,omitempty"`
	SessionInfo         *CXSessionInfo         `json:"sessionInfo,omitempty"`
}

// CXFulfillmentResponse holds the messages to send.
type CXFulfillmentResponse struct {
	Messages      []CXMessage `json:"messages"`
	MergeBehavior string      `json:"mergeBehavior,omitempty"`
}

// DecodeCX reads and checks a CX webhook request.
func DecodeCX(body []byte) (CXRequest, error) {
	var r CXRequest
	if err := json.Unmarshal(body, &r); err != nil {
		return r, fmt.Errorf("%w: %v", ErrBadRequest, err)
	}
	if sessionID(r.SessionInfo.Session) == "" {
		return r, fmt.Errorf("%w: sessionInfo.session %q is not a session path", ErrBadRequest, r.SessionInfo.Session)
	}
	return r, nil
}

func (c *Channel) serveCX(ctx *fasthttp.RequestCtx) {
	req, err := DecodeCX(ctx.PostBody())
	if err != nil {
		writeError(ctx, fasthttp.StatusBadRequest, "INVALID_ARGUMENT", err.Error())
		return
	}
	tr := turnRequest{session: req.SessionInfo.Session, text: req.Text, dtmf: req.DTMFDigits, params: map[string]any{}, language: req.LanguageCode}
	if tr.text == "" {
		tr.text = req.Transcript
	}
	if req.IntentInfo != nil {
		tr.intent = req.IntentInfo.DisplayName
		maps.Copy(tr.params, req.IntentInfo.Parameters)
	}
	if tag := req.FulfillmentInfo.Tag; tag != "" && tag != c.cfg.CXTag {
		tr.intent = tag // the flow's page names the intent by its webhook tag
	}
	maps.Copy(tr.params, req.SessionInfo.Parameters)
	p, status := c.run(ctx, tr)
	httpserver.WriteJSON(ctx, fasthttp.StatusOK, c.cxResponse(req, p, status))
}

// cxResponse writes the prompt as text (and SSML for telephony), chips for its choices in
// Dialogflow Messenger's rich content, a live-agent hand-off, and session parameters.
func (c *Channel) cxResponse(req CXRequest, p voice.Prompt, status string) CXResponse {
	var msgs []CXMessage
	if p.Say != "" {
		msgs = append(msgs, CXMessage{Text: &CXText{Text: []string{p.Say}}})
	}
	if p.SSML != "" {
		msgs = append(msgs, CXMessage{OutputAudioText: &CXOutputAudio{SSML: p.SSML}})
	}
	if len(p.Choices) > 0 {
		options := make([]map[string]any, 0, len(p.Choices))
		for _, l := range labels(p) {
			options = append(options, map[string]any{"text": l})
		}
		msgs = append(msgs, CXMessage{Payload: map[string]any{"richContent": []any{[]any{map[string]any{"type": "chips", "options": options}}}}})
	}
	if h := p.Handoff; h != nil {
		msgs = append(msgs, CXMessage{LiveAgentHandoff: &CXAgentHandoff{Metadata: map[string]any{"team": h.Team, "reason": h.Reason, "intent": h.Intent}}})
	}
	return CXResponse{
		FulfillmentResponse: &CXFulfillmentResponse{Messages: msgs, MergeBehavior: "REPLACE"},
		SessionInfo:         &CXSessionInfo{Parameters: params("dialogflow-"+sessionID(req.SessionInfo.Session), p, status)},
	}
}
