package main

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/fasthttp/websocket"

	"github.com/frontdeskhq/frontdesk/channels/webchat"
	"github.com/frontdeskhq/frontdesk/core/auth"
)

// The portal that signs the fault test's customers into the web chat.
const (
	clusterPortalIssuer = "https://portal.example"
	clusterPortalKey    = "cluster-portal-secret-0123456789abcdef"
)

// clusterChatConfig lets portal customers open web chats with a JWT of the test's portal.
func clusterChatConfig() string {
	return fmt.Sprintf("webchat: { jwt: { issuer: %q, audience: frontdesk, hmac_keys: [%q] } }\n", clusterPortalIssuer, clusterPortalKey)
}

// socketConversation runs conversation i of the card-lost flow over the web chat socket, as
// the widget does: a portal customer says what happened and answers two quick replies. When
// the connection breaks (its instance was killed, Redis restarts), it reconnects to another
// live instance, resumes the chat from the last message it saw and sends its frame again
// with the same id, which the server handles once. It returns how the chat ended.
func (c *cluster) socketConversation(i int) (string, error) {
	token, err := auth.SignJWT(map[string]any{
		"iss": clusterPortalIssuer, "aud": "frontdesk", "sub": fmt.Sprintf("portal-user-%d", i),
		"customer_id": fmt.Sprintf("C-100%d", 1+i%5), "exp": time.Now().Add(time.Hour).Unix(),
	}, []byte(clusterPortalKey))
	if err != nil {
		return "", err
	}
	frames := []webchat.ClientFrame{
		{Type: "text", ID: "1", Text: "I lost my card"},
		{Type: "choice", ID: "2", Value: "lost"},
		{Type: "choice", ID: "3", Value: "no"},
	}
	chat := &socketChat{}
	deadline := time.Now().Add(time.Minute)
	for chat.sent < len(frames) {
		if time.Now().After(deadline) {
			return "", fmt.Errorf("chat %d: not finished within a minute: %v", i, chat.last)
		}
		j := rand.IntN(len(c.addrs))
		if !c.up[j].Load() {
			continue
		}
		if chat.session != "" {
			c.resumes.Add(1)
		}
		if err := chat.connect(c.addrs[j], token, frames); err != nil {
			chat.last = err
			time.Sleep(20 * time.Millisecond)
		}
	}
	if chat.end == "" {
		return "", fmt.Errorf("chat %d: the last answer did not end the chat; frames: %s", i, strings.Join(chat.trace, " "))
	}
	return chat.end, nil
}

// socketChat is what a chat client remembers across connections.
type socketChat struct {
	session string
	seq     uint64
	sent    int // frames acknowledged
	end     string
	last    error
	// trace lists what the client saw, for the failure message.
	trace []string
}

// connect opens (or resumes) the chat on one instance and sends the frames not yet
// acknowledged; it returns when all are, or with the error that broke the connection.
func (s *socketChat) connect(addr, token string, frames []webchat.ClientFrame) error {
	ws, _, err := websocket.DefaultDialer.Dial("ws://"+addr+webchat.SocketPath, nil)
	if err != nil {
		return err
	}
	defer ws.Close()
	_ = ws.SetReadDeadline(time.Now().Add(20 * time.Second))
	open := webchat.ClientFrame{Type: "hello", Token: token}
	if s.session != "" {
		open = webchat.ClientFrame{Type: "resume", Session: s.session, LastSeq: s.seq}
	}
	s.trace = append(s.trace, "connect:"+addr+":"+open.Type)
	if err := ws.WriteJSON(open); err != nil {
		return err
	}
	if err := s.readUntil(ws, "welcome", ""); err != nil {
		return err
	}
	for s.sent < len(frames) {
		f := frames[s.sent]
		if err := ws.WriteJSON(f); err != nil {
			return err
		}
		if err := s.readUntil(ws, "ack", f.ID); err != nil {
			return err
		}
		s.sent++
	}
	return nil
}

// readUntil reads frames, keeping the chat's messages, until a frame of the given type (and
// id) arrives.
func (s *socketChat) readUntil(ws *websocket.Conn, typ, id string) error {
	for {
		var f webchat.ServerFrame
		if err := ws.ReadJSON(&f); err != nil {
			s.trace = append(s.trace, "read-error:"+err.Error())
			return err
		}
		s.trace = append(s.trace, fmt.Sprintf("%s/%d/%s/%s", f.Type, f.Seq, f.ID, f.Code))
		switch f.Type {
		case "welcome":
			s.session = f.Session
		case "message":
			if f.Seq <= s.seq {
				continue // seen before the reconnect
			}
			s.seq = f.Seq
			if f.Message != nil && f.Message.End != nil {
				s.end = f.Message.End.Resolution
			}
		case "error":
			return errors.New(strings.Join([]string{f.Code, f.Text}, ": "))
		}
		if f.Type == typ && f.ID == id {
			return nil
		}
	}
}
