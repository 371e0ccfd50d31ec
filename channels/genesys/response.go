package genesys

import (
	"strconv"

	"github.com/frontdeskhq/frontdesk/channels/voice"
)

// Parameters frontdesk returns to the flow, for Architect to branch on.
const (
	ParamConversation = "frontdesk_conversation_id"
	ParamNode         = "frontdesk_node"
	ParamResolution   = "frontdesk_resolution"
	// ParamHandoff is "true" when a human team takes over; ParamTeam names it.
	ParamHandoff = "frontdesk_handoff"
	ParamTeam    = "frontdesk_team"
	ParamReason  = "frontdesk_reason"
)

// botResponse maps a prompt: a question is MoreData with quick replies for its choices; an
// end or a hand-off is Complete with the outcome in parameters and slots.
func botResponse(conversationID string, p voice.Prompt) BotResponse {
	resp := BotResponse{BotState: StateComplete, Parameters: map[string]string{ParamConversation: conversationID, ParamHandoff: "false"}}
	if p.Say != "" || len(p.Choices) > 0 {
		msg := ReplyMessage{Type: "Text", Text: p.Say}
		if len(p.Choices) > 0 {
			msg.Type = "Structured"
			for _, c := range p.Choices {
				label := c.Label
				if label == "" {
					label = c.Value
				}
				msg.Content = append(msg.Content, Content{ContentType: "QuickReply", QuickReply: &QuickReply{Text: label, Payload: c.Value, Action: "Message"}})
			}
		}
		resp.ReplyMessages = []ReplyMessage{msg}
	}
	if p.Listen {
		resp.BotState = StateMoreData
		resp.Parameters[ParamNode] = p.Node
		return resp
	}
	if p.End != nil {
		resp.Parameters[ParamResolution] = p.End.Resolution
		resp.Entities = append(resp.Entities, Entity{Name: "resolution", Value: EntityValue{Raw: p.End.Resolution}})
	}
	if h := p.Handoff; h != nil {
		resp.Intent, resp.Confidence = h.Intent, h.Confidence
		resp.Parameters[ParamHandoff] = strconv.FormatBool(true)
		resp.Parameters[ParamTeam], resp.Parameters[ParamReason] = h.Team, h.Reason
		resp.Entities = append(resp.Entities, Entity{Name: "team", Value: EntityValue{Raw: h.Team}})
	}
	return resp
}

// failed is the answer to a turn frontdesk could not serve.
func failed(code, msg string) BotResponse {
	return BotResponse{BotState: StateFailed, ErrorInfo: &ErrorInfo{ErrorCode: code, ErrorMessage: msg}}
}
