package inapp

import (
	"fmt"

	"github.com/valyala/fasthttp"

	"github.com/frontdeskhq/frontdesk/core/httpserver"
	"github.com/frontdeskhq/frontdesk/core/message"
)

// answer checks an input against the flow's conversation as the router loads it (a
// router.Precondition), and keeps what it saw for the response.
type answer struct {
	who      caller
	screenID string
	// conv is the conversation checked; q the question it shows, nil when the input was
	// refused or the router answered a retry without checking.
	conv *message.Conversation
	q    *message.Reply
}

// refusal is why an input was not passed to the policy; it becomes the HTTP answer.
type refusal struct {
	status   int
	code     string
	msg      string
	problems map[string]string
	// screen asks for the current screen in the answer; rate hands the input to the rating.
	screen, rate bool
}

func (r *refusal) Error() string { return r.code + ": " + r.msg }

func (a *answer) check(conv *message.Conversation, msg *message.Message) error {
	if conv == nil || !a.who.owns(conv) {
		// The same answer for another portal user's flow: its existence is not revealed.
		return &refusal{status: fasthttp.StatusNotFound, code: CodeUnknownFlow, msg: "no flow " + msg.ConversationID + ": it never existed or has expired"}
	}
	a.conv = conv
	q, kind := at(conv.LastReplies, conv.CSATRun != "")
	if current := screenID(q, kind); a.screenID != "" && a.screenID != current {
		return &refusal{status: fasthttp.StatusConflict, code: CodeStaleScreen, screen: true,
			msg: fmt.Sprintf("the input answers screen %q, but the flow shows %q", a.screenID, current)}
	}
	switch kind {
	case KindRating:
		return &refusal{rate: true}
	case KindEnd, KindHandoff:
		return &refusal{status: fasthttp.StatusConflict, code: CodeFinished, msg: "the flow is finished; start a new one"}
	}
	in, problems := checkInput(q, msg.Input)
	if problems != nil {
		return &refusal{status: fasthttp.StatusBadRequest, code: CodeInvalidInput, msg: "some inputs are not acceptable", problems: problems, screen: true}
	}
	msg.Input, a.q = in, q
	return nil
}

// refuse answers a refused input; conv is the conversation it was checked against.
func (c *Channel) refuse(ctx *fasthttp.RequestCtx, id string, conv *message.Conversation, r *refusal, data map[string]any) {
	if r.rate {
		c.rate(ctx, id, conv, data)
		return
	}
	body := ErrorResponse{Error: httpserver.ErrorDetail{Code: r.code, Message: r.msg}, RequestID: httpserver.RequestID(ctx), FieldErrors: r.problems}
	if conv != nil {
		body.FlowID = id
	}
	if r.screen {
		s := c.render(id, conv.LastReplies, conv.CSATRun != "")
		body.Screen = &s
	}
	httpserver.WriteJSON(ctx, r.status, body)
}
