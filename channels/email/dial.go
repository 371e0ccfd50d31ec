package email

import (
	"crypto/tls"
	"errors"
	"net"
	"strconv"
	"time"

	"github.com/emersion/go-imap/v2/imapclient"
	"github.com/emersion/go-sasl"
)

// dialIMAP connects and authenticates to a mailbox's server with its security setting:
// implicit TLS, STARTTLS, or plain TCP for loopback test servers.
func dialIMAP(mb MailboxConfig, dial func(network, addr string) (net.Conn, error), opts *imapclient.Options) (*imapclient.Client, error) {
	addr := net.JoinHostPort(mb.Host, strconv.Itoa(mb.Port))
	if dial == nil {
		d := &net.Dialer{Timeout: 30 * time.Second}
		dial = d.Dial
	}
	conn, err := dial("tcp", addr)
	if err != nil {
		return nil, err
	}
	tlsCfg := &tls.Config{ServerName: mb.Host, InsecureSkipVerify: mb.InsecureSkipVerify} //nolint:gosec // opt-in for test servers
	opts.TLSConfig = tlsCfg
	var c *imapclient.Client
	switch mb.Security {
	case "tls":
		c = imapclient.New(tls.Client(conn, tlsCfg), opts)
	case "starttls":
		if c, err = imapclient.NewStartTLS(conn, opts); err != nil {
			conn.Close()
			return nil, err
		}
	default:
		c = imapclient.New(conn, opts)
	}
	if mb.OAuthToken != "" {
		err = c.Authenticate(xoauth2{user: mb.User, token: mb.OAuthToken})
	} else {
		err = c.Login(mb.User, mb.Password).Wait()
	}
	if err != nil {
		c.Close()
		return nil, err
	}
	return c, nil
}

// xoauth2 is the SASL XOAUTH2 mechanism of Gmail and Microsoft 365: the user and a bearer
// token in one initial response.
type xoauth2 struct{ user, token string }

func (x xoauth2) Start() (string, []byte, error) {
	return "XOAUTH2", []byte("user=" + x.user + "\x01auth=Bearer " + x.token + "\x01\x01"), nil
}

// Next answers a server challenge, which XOAUTH2 sends only to report an error; the empty
// response ends the exchange so the server can send its failure.
func (x xoauth2) Next([]byte) ([]byte, error) { return []byte{}, errors.New("email: XOAUTH2 rejected") }

var _ sasl.Client = xoauth2{}
