package main

import (
	"bytes"
	"strings"
	"testing"

	"github.com/frontdeskhq/frontdesk/channels/email/devmail"
)

// TestDevmailSendAndRead sends a mail with `frontdesk devmail send` and reads it back with
// `frontdesk devmail read`, against a devmail server on loopback.
func TestDevmailSendAndRead(t *testing.T) {
	srv := devmail.New(devmail.Options{})
	if err := srv.Start("127.0.0.1:0", "127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	run := func(args ...string) string {
		t.Helper()
		cmd := newRootCmd()
		var out bytes.Buffer
		cmd.SetOut(&out)
		cmd.SetErr(&out)
		cmd.SetArgs(append([]string{"devmail", "--imap", srv.IMAPAddr(), "--smtp", srv.SMTPAddr()}, args...))
		if err := cmd.Execute(); err != nil {
			t.Fatalf("frontdesk devmail %s: %v\n%s", strings.Join(args, " "), err, out.String())
		}
		return out.String()
	}
	if out := run("read", "ann@example.com"); !strings.Contains(out, "no mail in INBOX") {
		t.Errorf("read of an empty account:\n%s", out)
	}
	if out := run("send", "--from", "bob@example.com", "--to", "ann@example.com", "I lost my card\nin the bus"); !strings.Contains(out, "sent <") {
		t.Errorf("send:\n%s", out)
	}
	out := run("read", "ann@example.com")
	for _, want := range []string{"From: bob@example.com", "Subject: I lost my card", "in the bus"} {
		if !strings.Contains(out, want) {
			t.Errorf("read: no %q in\n%s", want, out)
		}
	}
}

// TestDevmailUnreachable says what to start when no devmail server answers.
func TestDevmailUnreachable(t *testing.T) {
	cmd := newRootCmd()
	cmd.SetOut(&bytes.Buffer{})
	cmd.SetArgs([]string{"devmail", "--smtp", freeAddr(t), "send", "hello"})
	err := cmd.Execute()
	if err == nil || !strings.Contains(err.Error(), "is frontdesk devmail") {
		t.Errorf("error %v, want a hint to start devmail", err)
	}
}
