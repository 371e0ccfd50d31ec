package mime

import (
	"os"
	"path/filepath"
	"testing"
	"unicode/utf8"
)

// FuzzParse feeds arbitrary bytes to the MIME-to-message path: it must never panic, and what it
// returns must be valid UTF-8 within the caps.
func FuzzParse(f *testing.F) {
	files, _ := filepath.Glob("testdata/*.eml")
	for _, name := range files {
		raw, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(raw)
	}
	f.Add([]byte("Content-Type: multipart/mixed; boundary=a\n\n--a\n--a\n--a--"))
	f.Add([]byte("Subject: =?x?q?=FF?=\n\n<html><blockquote><blockquote>"))
	lim := Limits{MaxBytes: 1 << 20, MaxTextBytes: 4096, MaxParts: 20}
	f.Fuzz(func(t *testing.T, raw []byte) {
		m, err := Parse(raw, lim)
		if err != nil {
			return
		}
		if !utf8.ValidString(m.Text) || !utf8.ValidString(m.FullText) || !utf8.ValidString(m.Subject) {
			t.Fatalf("invalid UTF-8 in %+v", m)
		}
		if len(m.FullText) > lim.MaxTextBytes {
			t.Fatalf("text of %d bytes over the cap", len(m.FullText))
		}
	})
}
