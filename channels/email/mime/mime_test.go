package mime

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// TestGolden parses every mail in testdata and compares the result with its .json file.
func TestGolden(t *testing.T) {
	files, _ := filepath.Glob("testdata/*.eml")
	if len(files) == 0 {
		t.Fatal("no fixtures")
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			raw, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			m, err := Parse(raw, Limits{})
			if err != nil {
				t.Fatal(err)
			}
			got, _ := json.MarshalIndent(m, "", "  ")
			golden := strings.TrimSuffix(f, ".eml") + ".json"
			if *update {
				if err := os.WriteFile(golden, append(got, '\n'), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (go test -run TestGolden -update writes it)", err)
			}
			if !bytes.Equal(bytes.TrimSpace(got), bytes.TrimSpace(want)) {
				t.Errorf("parsed %s:\n%s\nwant\n%s", f, got, want)
			}
		})
	}
}

func TestParseFacts(t *testing.T) {
	read := func(name string) *Mail {
		raw, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			t.Fatal(err)
		}
		m, err := Parse(raw, Limits{})
		if err != nil {
			t.Fatal(err)
		}
		return m
	}
	if m := read("plain.eml"); m.Text != "Hello,\n\nI lost my card yesterday in town. Please block it." || m.From.Email != "alice@example.com" || m.MessageID != "CAF1234.lostcard@mail.example.com" {
		t.Errorf("plain: text %q from %q id %q", m.Text, m.From.Email, m.MessageID)
	}
	if m := read("html-only.eml"); !strings.Contains(m.Text, "I moved to a new address, please update it.\nStraße 5") || strings.Contains(m.Text, "alert") || strings.Contains(m.Text, "old quoted") || m.Subject != "Adresse ändern" {
		t.Errorf("html-only: text %q subject %q", m.Text, m.Subject)
	}
	if m := read("latin1.eml"); m.Text != "Ich möchte die Gebühr zurück." || m.From.Name != "Jörg" {
		t.Errorf("latin1: text %q name %q", m.Text, m.From.Name)
	}
	if m := read("malformed.eml"); !strings.Contains(m.Text, "my card never arrived") || !utf8.ValidString(m.Subject) || len(m.Problems) == 0 {
		t.Errorf("malformed: text %q subject %q problems %v", m.Text, m.Subject, m.Problems)
	}
	if m := read("bounce.eml"); !m.IsDeliveryReport || !m.NullReturnPath || len(m.ReportedIDs) != 1 {
		t.Errorf("bounce: report %v null %v reported %v", m.IsDeliveryReport, m.NullReturnPath, m.ReportedIDs)
	}
	m := read("reply-quoted.eml")
	if m.Text != "Yes, it was stolen, not lost." || len(m.References) != 2 || len(m.Attachments) != 1 || m.Attachments[0].Name != "police-report.jpg" {
		t.Errorf("reply: text %q refs %v attachments %+v", m.Text, m.References, m.Attachments)
	}
}

func TestHugeMailIsCapped(t *testing.T) {
	var b bytes.Buffer
	b.WriteString("From: a@example.com\nMessage-ID: <huge@example.com>\nContent-Type: multipart/mixed; boundary=x\n\n--x\nContent-Type: text/plain\n\n")
	for b.Len() < 3<<20 {
		b.WriteString("my card is lost and this line repeats to make the mail very large indeed\n")
	}
	b.WriteString("--x\nContent-Type: application/octet-stream\nContent-Disposition: attachment; filename=big.bin\n\n")
	b.Write(bytes.Repeat([]byte("A"), 2<<20))
	b.WriteString("\n--x--\n")
	m, err := Parse(b.Bytes(), Limits{MaxBytes: 4 << 20})
	if err != nil {
		t.Fatal(err)
	}
	if len(m.FullText) > DefaultMaxTextBytes || !strings.HasPrefix(m.Text, "my card is lost") {
		t.Errorf("text of %d bytes, starts %q", len(m.FullText), m.Text[:min(40, len(m.Text))])
	}
	if len(m.Attachments) != 1 || m.Attachments[0].Size < 500<<10 {
		t.Errorf("attachments %+v: want the truncated big.bin", m.Attachments)
	}
}

func TestStripQuotes(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"Please close my account.\n\n-- \nBob\nCEO", "Please close my account."},
		{"New words\n\nOn Mon, 1 Jan 2026, X <x@y> wrote:\n> old", "New words"},
		{"> only quotes\n> here", "> only quotes\n> here"},
		{"Top\n-----Original Message-----\nFrom: x", "Top"},
		{"The card came, thanks, all good.\nThanks,\nBob", "The card came, thanks, all good."},
	} {
		if got := StripQuotes(c.in); got != c.want {
			t.Errorf("StripQuotes(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestEmpty(t *testing.T) {
	if _, err := Parse([]byte("  \n"), Limits{}); err != ErrEmpty {
		t.Errorf("Parse(blank) error = %v, want ErrEmpty", err)
	}
}
