package webchat

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/fasthttp/websocket"
	"github.com/valyala/fasthttp"

	"github.com/frontdeskhq/frontdesk/core/message"
	"github.com/frontdeskhq/frontdesk/core/router"
)

// Close codes beyond the standard ones: 4000 + the HTTP status of an entry error.
const closeEntry = 4000

// turnTimeout bounds one turn of the router as seen from a connection.
const turnTimeout = 30 * time.Second

// conn is one WebSocket connection. Frames are read and handled one at a time on its own
// goroutine; writes are locked because pings go out from another.
type conn struct {
	c      *Channel
	ws     *websocket.Conn
	bearer string
	wmu    sync.Mutex
	// token names the chat once hello or resume succeeded, and chat is its state then.
	token string
	chat  chat
	// sent is the Seq of the last message this connection has (sent, or seen before resume).
	sent uint64
}

func (c *Channel) serveSocket(ctx *fasthttp.RequestCtx) {
	// The request is gone once the handler runs: copy what it needs now.
	bearer, _ := strings.CutPrefix(string(ctx.Request.Header.Peek("Authorization")), "Bearer ")
	err := c.upgrader.Upgrade(ctx, func(ws *websocket.Conn) {
		(&conn{c: c, ws: ws, bearer: bearer}).run()
	})
	if err != nil {
		c.log.Debug("websocket upgrade refused", "err", err)
	}
}

func (k *conn) run() {
	defer k.ws.Close()
	k.c.metrics.connections.Inc()
	defer k.c.metrics.connections.Dec()
	lim := k.c.cfg.Limits
	k.ws.SetPongHandler(func(string) error { return k.ws.SetReadDeadline(time.Now().Add(lim.Idle)) })
	stop := make(chan struct{})
	defer close(stop)
	go k.ping(stop, lim.Idle/2)
	bucket := newBucket(lim.Rate, lim.Burst, time.Now())
	for {
		wait := lim.Idle
		if k.token == "" {
			wait = min(wait, lim.Hello)
		}
		_ = k.ws.SetReadDeadline(time.Now().Add(wait))
		kind, r, err := k.ws.NextReader()
		if err != nil {
			var timeout interface{ Timeout() bool }
			if k.token == "" && errors.As(err, &timeout) && timeout.Timeout() {
				k.fail(http.StatusRequestTimeout, "hello_timeout",
					fmt.Sprintf("no hello or resume within %s; the connection is closed", wait), closeEntry+http.StatusRequestTimeout)
			}
			return
		}
		if !bucket.allow(time.Now()) {
			k.fail(http.StatusTooManyRequests, "rate_limited",
				fmt.Sprintf("more than %g frames a second; the connection is closed", lim.Rate), websocket.ClosePolicyViolation)
			return
		}
		// No read limit is set on the socket, whose own would close the connection without
		// telling why: a frame is read up to one byte past the limit, and no further.
		data, err := io.ReadAll(io.LimitReader(r, int64(lim.MaxFrameBytes)+1))
		if err != nil {
			return
		}
		if len(data) > lim.MaxFrameBytes {
			k.fail(http.StatusRequestEntityTooLarge, "frame_too_large",
				fmt.Sprintf("a frame may hold at most %d bytes; the connection is closed", lim.MaxFrameBytes), websocket.CloseMessageTooBig)
			return
		}
		if kind != websocket.TextMessage {
			k.sendError(http.StatusBadRequest, "bad_frame", "frames are JSON text, not binary")
			continue
		}
		f, err := DecodeClientFrame(data)
		if err != nil {
			k.sendError(http.StatusBadRequest, "bad_frame", err.Error())
			continue
		}
		k.c.metrics.frames.WithLabelValues(f.Type).Inc()
		if !k.handle(f) {
			return
		}
	}
}

// ping keeps the connection alive through proxies and finds dead peers.
func (k *conn) ping(stop <-chan struct{}, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-stop:
			return
		case <-t.C:
			if k.ws.WriteControl(websocket.PingMessage, nil, time.Now().Add(5*time.Second)) != nil {
				return
			}
		}
	}
}

// handle acts on one valid frame; false ends the connection.
func (k *conn) handle(f ClientFrame) bool {
	ctx, cancel := context.WithTimeout(context.Background(), turnTimeout)
	defer cancel()
	switch {
	case f.Type == TypeHello || f.Type == TypeResume:
		return k.enter(ctx, f)
	case k.token == "":
		k.sendError(http.StatusUnauthorized, "hello_first", "send hello or resume before anything else")
	case f.Type == TypeTyping:
		// Accepted and dropped: nobody watches a bot type.
	case f.Type == TypeCSAT:
		k.csat(ctx, f)
	default:
		k.turn(ctx, f)
	}
	return true
}

// enter opens (hello) or resumes a chat, then sends the welcome and what the client has not
// seen, starting the chat when this is its first connection.
func (k *conn) enter(ctx context.Context, f ClientFrame) bool {
	if k.token != "" {
		k.sendError(http.StatusConflict, "already_open", "this connection already has a chat")
		return true
	}
	token, err := k.open(ctx, f)
	if err != nil {
		var e *entryError
		if errors.As(err, &e) {
			k.fail(e.status, e.code, e.msg, closeEntry+e.status)
		} else {
			k.c.log.Error("chat not opened", "err", err)
			k.fail(http.StatusInternalServerError, "internal", "the chat could not be opened; try again", websocket.CloseInternalServerErr)
		}
		return false
	}
	ch, _, err := k.c.chats.get(ctx, token)
	if err != nil {
		k.fail(http.StatusInternalServerError, "internal", "the chat could not be opened; try again", websocket.CloseInternalServerErr)
		return false
	}
	missed, err := k.c.chats.since(ctx, token, ch, f.LastSeq)
	if err != nil {
		k.c.log.Error("chat messages not loaded", "err", err)
		k.fail(http.StatusInternalServerError, "internal", "the chat could not be opened; try again", websocket.CloseInternalServerErr)
		return false
	}
	k.token, k.chat, k.sent = token, *ch, f.LastSeq
	k.send(ServerFrame{Type: TypeWelcome, Session: token, LastSeq: ch.Seq})
	k.sendMessages(missed)
	if !ch.Started {
		k.start(ctx)
	}
	return true
}

func (k *conn) open(ctx context.Context, f ClientFrame) (string, error) {
	switch {
	case f.Type == TypeResume:
		if _, _, err := k.c.chats.get(ctx, f.Session); err != nil {
			if errors.Is(err, errNoChat) {
				return "", &entryError{http.StatusNotFound, "session_unknown", err.Error()}
			}
			return "", err
		}
		return f.Session, nil
	case f.Key != "":
		return k.c.openByKey(ctx, f.Key)
	case f.Token != "":
		return k.c.openByToken(ctx, f.Token)
	case k.bearer != "":
		return k.c.openByToken(ctx, k.bearer)
	}
	return "", errNoCredential
}

// start runs the chat's first turn: a valet key's intent starts its policy (whose first
// question confirms it); a portal chat is greeted and waits for the customer's words.
func (k *conn) start(ctx context.Context) {
	if k.chat.Intent == "" {
		k.push(ctx, "start", []Message{{From: "bot", Text: k.c.cfg.Greeting}})
		return
	}
	k.typing(true)
	replies, err := k.c.cfg.Handle(ctx, k.message("start", message.Message{Intent: k.chat.Intent}))
	if err != nil {
		k.turnError(err)
		return
	}
	k.push(ctx, "start", renderAll(replies))
}

// turn hands a text, choice or form to the router and sends the customer's words back (for
// the chat's other devices and a later resume) with the bot's replies.
func (k *conn) turn(ctx context.Context, f ClientFrame) {
	ch, _, err := k.c.chats.get(ctx, k.token)
	if err != nil {
		k.turnError(err)
		return
	}
	if f.ID != "" && slices.Contains(ch.Handled, f.ID) {
		k.send(ServerFrame{Type: TypeAck, ID: f.ID})
		return
	}
	if f.ID == "" {
		f.ID = newSessionToken()
	}
	msg := message.Message{}
	echo := Message{From: "customer"}
	switch f.Type {
	case TypeText:
		msg.Text, echo.Text = f.Text, f.Text
	case TypeChoice:
		msg.Input, echo.Text = map[string]any{"choice": f.Value}, ch.choiceLabel(f.Value)
	case TypeForm:
		msg.Input = make(map[string]any, len(f.Fields))
		for name, v := range f.Fields {
			msg.Input[name] = v
		}
		echo.Text = "(form sent)"
	}
	k.typing(true)
	replies, err := k.c.cfg.Handle(ctx, k.message(f.ID, msg))
	if err != nil {
		k.turnError(err)
		return
	}
	k.push(ctx, f.ID, append([]Message{echo}, renderAll(replies)...))
	k.send(ServerFrame{Type: TypeAck, ID: f.ID})
}

// message completes a message of this chat; the id makes a redelivered turn idempotent in
// the router too.
func (k *conn) message(id string, m message.Message) message.Message {
	m.ID = k.chat.ConversationID + ":" + id
	m.Channel = message.ChannelWebchat
	m.ConversationID = k.chat.ConversationID
	m.CaseID = k.chat.CaseID
	m.Contact = k.chat.Contact
	return m
}

func (k *conn) csat(ctx context.Context, f ClientFrame) {
	if k.c.cfg.SubmitCSAT == nil {
		k.sendError(http.StatusConflict, "no_csat", router.ErrNoCSAT.Error())
		return
	}
	err := k.c.cfg.SubmitCSAT(ctx, k.chat.ConversationID, f.Score)
	switch {
	case errors.Is(err, router.ErrNoCSAT):
		k.sendError(http.StatusConflict, "no_csat", err.Error())
		return
	case err != nil:
		k.turnError(err)
		return
	}
	id := f.ID
	if id == "" {
		id = "csat"
	}
	k.push(ctx, id, []Message{{From: "bot", Text: "Thank you for your rating."}})
	k.send(ServerFrame{Type: TypeAck, ID: f.ID})
}

// push saves message frames to the chat's outbox and sends them. A frame id the chat has
// already handled (another connection raced this one) adds nothing.
func (k *conn) push(ctx context.Context, id string, msgs []Message) {
	frames, err := k.c.chats.push(ctx, k.token, id, msgs)
	if err == nil && (len(frames) == 0 || frames[0].Seq != k.sent+1) {
		// Another connection of the chat saved messages since this one last sent (or this
		// very turn): send everything after what this client has, in order.
		var ch *chat
		if ch, _, err = k.c.chats.get(ctx, k.token); err == nil {
			frames, err = k.c.chats.since(ctx, k.token, ch, k.sent)
		}
	}
	if err != nil {
		k.c.log.Error("chat not saved", "conversation", k.chat.ConversationID, "err", err)
		k.sendError(http.StatusInternalServerError, "internal", "the answer could not be saved; send your message again")
		return
	}
	k.sendMessages(frames)
}

// sendMessages sends message frames and remembers the last one sent.
func (k *conn) sendMessages(frames []ServerFrame) {
	for _, f := range frames {
		k.send(f)
		k.sent = max(k.sent, f.Seq)
	}
}

// turnError tells the client why a turn failed; the connection stays open.
func (k *conn) turnError(err error) {
	switch {
	case errors.Is(err, router.ErrBadMessage):
		k.sendError(http.StatusBadRequest, "bad_message", err.Error())
	case errors.Is(err, router.ErrBusy):
		k.sendError(http.StatusConflict, "busy", err.Error())
	case errors.Is(err, context.DeadlineExceeded):
		k.sendError(http.StatusGatewayTimeout, "timeout", "the answer took too long; send your message again")
	default:
		k.c.log.Error("chat turn failed", "conversation", k.chat.ConversationID, "err", err)
		k.sendError(http.StatusInternalServerError, "internal", "your message could not be handled; send it again")
	}
}

func (k *conn) typing(on bool) { k.send(ServerFrame{Type: TypeTyping, On: &on}) }

func (k *conn) sendError(status int, code, text string) {
	k.send(ServerFrame{Type: TypeError, Status: status, Code: code, Text: text})
}

// fail sends an error frame and closes the connection with code. It then reads (and drops)
// what the client still sends until its close answer, for a second at most: closing the
// socket with unread data would reset it, and the client could lose the error frame.
func (k *conn) fail(status int, code, text string, closeCode int) {
	k.send(ServerFrame{Type: TypeError, Status: status, Code: code, Text: text, Closing: true})
	k.wmu.Lock()
	_ = k.ws.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(closeCode, code), time.Now().Add(time.Second))
	k.wmu.Unlock()
	_ = k.ws.SetReadDeadline(time.Now().Add(time.Second))
	for {
		if _, _, err := k.ws.NextReader(); err != nil {
			return
		}
	}
}

func (k *conn) send(f ServerFrame) {
	if f.Type == TypeError {
		k.c.metrics.errors.WithLabelValues(f.Code).Inc()
	}
	data, err := json.Marshal(f)
	if err != nil {
		k.c.log.Error("frame not encoded", "err", err)
		return
	}
	k.wmu.Lock()
	defer k.wmu.Unlock()
	_ = k.ws.SetWriteDeadline(time.Now().Add(10 * time.Second))
	_ = k.ws.WriteMessage(websocket.TextMessage, data)
}
