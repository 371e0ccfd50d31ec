package devmail

import (
	"testing"
	"time"

	"github.com/emersion/go-imap/v2/imapclient"
)

// A mail delivered after a client's last command and before its IDLE is announced as soon as
// the IDLE starts, not held back until something else changes.
func TestIdleAnnouncesEarlierMail(t *testing.T) {
	s := New(Options{})
	if err := s.Start("127.0.0.1:0", "127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	exists := make(chan uint32, 4)
	c, err := imapclient.DialInsecure(s.IMAPAddr(), &imapclient.Options{UnilateralDataHandler: &imapclient.UnilateralDataHandler{
		Mailbox: func(d *imapclient.UnilateralDataMailbox) {
			if d.NumMessages != nil {
				exists <- *d.NumMessages
			}
		},
	}})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if err := c.Login("ada@example.com", DefaultPassword).Wait(); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Select("INBOX", nil).Wait(); err != nil {
		t.Fatal(err)
	}
	if err := s.Deliver("ada@example.com", []byte("Subject: hi\r\n\r\nhello\r\n")); err != nil {
		t.Fatal(err)
	}
	idle, err := c.Idle()
	if err != nil {
		t.Fatal(err)
	}
	defer idle.Close()
	select {
	case n := <-exists:
		if n != 1 {
			t.Fatalf("EXISTS %d, want 1", n)
		}
	case <-time.After(2 * time.Second):
		t.Fatal("the mail delivered before IDLE was not announced in IDLE")
	}
}
