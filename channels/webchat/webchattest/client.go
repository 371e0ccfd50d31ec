// Package webchattest is a WebSocket client of the web chat protocol for tests: it opens a
// chat by link, token or session, checks that message frames arrive numbered without gaps
// or repeats, and runs the change-of-address flow of the example policies, so that an
// end-to-end test (mail -> link -> chat) needs only the link and a way to read the SMS code.
package webchattest

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/fasthttp/websocket"

	"github.com/frontdeskhq/frontdesk/channels/webchat"
)

// Client is one WebSocket connection of a chat.
type Client struct {
	t    testing.TB
	ws   *websocket.Conn
	base string
	// Session is the chat's session token, from the welcome frame.
	Session string
	// LastSeq is the Seq of the last message frame received, on this or an earlier
	// connection of the same chat.
	LastSeq uint64
}

// frameTimeout bounds the wait for one frame.
const frameTimeout = 15 * time.Second

// Dial connects to the chat socket of the server at base (http://host:port) without
// sending anything; header may carry Authorization.
func Dial(t testing.TB, base string, header http.Header) *Client {
	t.Helper()
	ws, resp, err := websocket.DefaultDialer.Dial("ws"+strings.TrimPrefix(base, "http")+webchat.SocketPath, header)
	if err != nil {
		t.Fatalf("dial the chat socket: %v", err)
	}
	resp.Body.Close()
	c := &Client{t: t, ws: ws, base: base}
	t.Cleanup(func() { ws.Close() })
	return c
}

// OpenLink opens a chat the way the widget does from an emailed link: GET the link (the page
// checks the key without using it up), then send its key in hello over the socket, which
// redeems it. It returns the client after the welcome frame.
func OpenLink(t testing.TB, link string) *Client {
	t.Helper()
	resp, err := http.Get(link)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	u, err := url.Parse(link)
	if resp.StatusCode != http.StatusOK || err != nil || u.Query().Get("key") == "" {
		t.Fatalf("link %s answered %d (%v):\n%s", link, resp.StatusCode, err, body)
	}
	c := Dial(t, link[:strings.Index(link, webchat.PagePath)], nil)
	c.Send(webchat.ClientFrame{Type: webchat.TypeHello, Key: u.Query().Get("key")})
	c.Welcome()
	return c
}

// Resume opens a new connection of the same chat and asks for what came after LastSeq.
func (c *Client) Resume() *Client {
	c.t.Helper()
	n := Dial(c.t, c.base, nil)
	n.LastSeq = c.LastSeq
	n.Send(webchat.ClientFrame{Type: webchat.TypeResume, Session: c.Session, LastSeq: c.LastSeq})
	n.Welcome()
	return n
}

// Send writes a frame.
func (c *Client) Send(f webchat.ClientFrame) {
	c.t.Helper()
	data, _ := json.Marshal(f)
	if err := c.SendRaw(websocket.TextMessage, data); err != nil {
		c.t.Fatalf("send: %v", err)
	}
}

// SendRaw writes a frame of any kind and content, for tests of bad input; a server that
// closed the connection makes it fail.
func (c *Client) SendRaw(kind int, data []byte) error {
	return c.ws.WriteMessage(kind, data)
}

// Next reads one frame. A message frame must carry the Seq after LastSeq: a gap is a lost
// message, a lower one a repeat.
func (c *Client) Next() webchat.ServerFrame {
	c.t.Helper()
	f, err := c.read()
	if err != nil {
		c.t.Fatalf("read a frame: %v", err)
	}
	return f
}

func (c *Client) read() (webchat.ServerFrame, error) {
	_ = c.ws.SetReadDeadline(time.Now().Add(frameTimeout))
	var f webchat.ServerFrame
	if err := c.ws.ReadJSON(&f); err != nil {
		return f, err
	}
	if f.Type == webchat.TypeMessage {
		if f.Seq != c.LastSeq+1 {
			c.t.Fatalf("message seq %d after %d: lost or repeated messages", f.Seq, c.LastSeq)
		}
		c.LastSeq = f.Seq
	}
	return f, nil
}

// Welcome reads until the welcome frame and keeps its session.
func (c *Client) Welcome() {
	c.t.Helper()
	f := c.Until(func(f webchat.ServerFrame) bool { return f.Type == webchat.TypeWelcome })
	c.Session = f[len(f)-1].Session
}

// Until reads frames until one satisfies done and returns all it read. An error frame
// fails the test unless done accepts it.
func (c *Client) Until(done func(webchat.ServerFrame) bool) []webchat.ServerFrame {
	c.t.Helper()
	var seen []webchat.ServerFrame
	for {
		f := c.Next()
		seen = append(seen, f)
		if done(f) {
			return seen
		}
		if f.Type == webchat.TypeError {
			c.t.Fatalf("error frame %s (%d): %s", f.Code, f.Status, f.Text)
		}
	}
}

// Question reads until a bot message that asks something or ends the chat: quick replies, a
// form, or an end.
func (c *Client) Question() *webchat.Message {
	c.t.Helper()
	f := c.Until(func(f webchat.ServerFrame) bool {
		m := f.Message
		return m != nil && m.From == "bot" && (len(m.QuickReplies) > 0 || m.Form != nil || m.End != nil)
	})
	return f[len(f)-1].Message
}

// Error reads until an error frame and returns it.
func (c *Client) Error() webchat.ServerFrame {
	c.t.Helper()
	f := c.Until(func(f webchat.ServerFrame) bool { return f.Type == webchat.TypeError })
	return f[len(f)-1]
}

// Closed reads until the server closes the connection and returns the close code.
func (c *Client) Closed() int {
	c.t.Helper()
	for {
		_, err := c.read()
		if ce, ok := err.(*websocket.CloseError); ok {
			return ce.Code
		}
		if err != nil {
			c.t.Fatalf("connection ended without a close frame: %v", err)
		}
	}
}
