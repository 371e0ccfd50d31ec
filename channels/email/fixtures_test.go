package email_test

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// TestFixturesThroughIMAP sends every MIME fixture (plain, HTML-only, ISO-8859-1, malformed,
// bounce of a reply on a case that does not exist, auto-reply, quoted reply) and a 6 MB mail through
// the IMAP server: each is handled, none blocks the mailbox, and none but the plain customer
// mails is answered.
func TestFixturesThroughIMAP(t *testing.T) {
	r := newRig(t, rigOptions{})
	files, _ := filepath.Glob("mime/testdata/*.eml")
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if err := r.mail.Deliver(support, raw); err != nil {
			t.Fatal(err)
		}
	}
	var huge bytes.Buffer
	huge.WriteString("From: big@example.com\r\nMessage-ID: <huge@example.com>\r\nSubject: scans\r\nContent-Type: multipart/mixed; boundary=x\r\n\r\n--x\r\nContent-Type: text/plain\r\n\r\nI lost my card, scans attached.\r\n--x\r\nContent-Type: application/pdf\r\nContent-Disposition: attachment; filename=scan.pdf\r\n\r\n")
	huge.Write(bytes.Repeat([]byte("JVBERi0xLjQKJcfsj6IKNSAwIG9iago8PC9MZW5ndGggNiAwIFIvRmlsdGVyIC9GbGF0ZURlY29kZT4+\r\n"), 80_000))
	huge.WriteString("--x--\r\n")
	if err := r.mail.Deliver(support, huge.Bytes()); err != nil {
		t.Fatal(err)
	}
	r.run(r.poller(r.handle))
	eventually(t, "every mail handled", 20*time.Second, func() bool { return r.unseen() == 0 })
	time.Sleep(200 * time.Millisecond)
	// The quoted reply continues the plain mail's case (its References name it); every other
	// mail has a case of its own.
	if got, want := len(r.cases()), len(files); got != want {
		t.Errorf("%d cases, want %d", got, want)
	}
	for _, auto := range []string{"carol@example.com", "mailer-daemon@mx.example.com"} {
		if n := len(r.sentTo(auto)); n != 0 {
			t.Errorf("%s was answered %d times", auto, n)
		}
	}
}
