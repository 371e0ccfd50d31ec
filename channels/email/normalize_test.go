package email

import (
	"os"
	"path/filepath"
	"testing"
	"unicode/utf8"

	"github.com/frontdeskhq/frontdesk/channels/email/mime"
	"github.com/frontdeskhq/frontdesk/core/router"
)

// FuzzNormalize feeds arbitrary bytes through the whole MIME-to-message path: never a panic,
// always a message the router accepts (valid UTF-8 within its length), and a key that does
// not change when the same bytes come again.
func FuzzNormalize(f *testing.F) {
	files, _ := filepath.Glob("mime/testdata/*.eml")
	for _, name := range files {
		raw, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(raw)
	}
	f.Add([]byte("Message-ID: <a@b>\nIn-Reply-To: <frontdesk.zz.1@x>\nSubject: [#CASE-1] hi\n\nhello"))
	lim := mime.Limits{MaxBytes: 1 << 20, MaxTextBytes: 8192}
	f.Fuzz(func(t *testing.T, raw []byte) {
		msg, m, err := Normalize("support", raw, lim)
		if err != nil {
			return
		}
		if !utf8.ValidString(msg.Text) || utf8.RuneCountInString(msg.Text) > router.MaxTextLength {
			t.Fatalf("text the router refuses: %q", msg.Text)
		}
		if msg.Channel != "email" || msg.Metadata["key"] == "" || msg.ID != m.MessageID {
			t.Fatalf("message %+v", msg)
		}
		again, _, _ := Normalize("support", raw, lim)
		if again.Metadata["key"] != msg.Metadata["key"] {
			t.Fatalf("key changed: %s then %s", msg.Metadata["key"], again.Metadata["key"])
		}
	})
}
