package main

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/frontdeskhq/frontdesk/connectors/local"
	"github.com/frontdeskhq/frontdesk/sdk/plugin"
)

func TestLocalTables(t *testing.T) {
	db := filepath.Join(t.TempDir(), "local.db")
	s, err := local.Open(db)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	c, _ := s.EnsureCase(ctx, plugin.CaseRequest{ExternalID: "<m1@example.com>", Subject: "Moving house"})
	s.AssignCase(ctx, plugin.Assignment{CaseID: c.ID, Queue: "data-change-approvals"})
	s.AddNote(ctx, plugin.Note{CaseID: c.ID, Body: "intent change_address (0.93)\npolicy change-address v2", IdempotencyKey: "r1/n1"})
	s.SubmitChangeRequest(ctx, plugin.ChangeRequest{CustomerID: "C-1003", Kind: "address", Fields: map[string]string{"postcode": "MK3 6EB"}, CaseID: c.ID})
	s.SendSMS(ctx, plugin.SMS{To: "+447700900303", Body: "Your code is 424242"})
	s.Close()

	for _, tc := range []struct {
		args []string
		want []string
	}{
		{[]string{"cases"}, []string{"CASE-000001", "<m1@example.com>", "data-change-approvals", "Moving house"}},
		{[]string{"notes", "CASE-000001"}, []string{"r1/n1", "intent change_address (0.93) policy change-address v2"}},
		{[]string{"customers"}, []string{"C-1001", "Ada Lovelace", "+447700900101", "SW1Y 4JH London", "tier=gold"}},
		{[]string{"changes"}, []string{"CR-000001", "pending", "C-1003", "postcode=MK3 6EB"}},
		{[]string{"outbox"}, []string{"SMS-000001", "queued", "+447700900303", "424242"}},
		{[]string{"outbox", "--json"}, []string{`"To": "+447700900303"`}},
	} {
		var out bytes.Buffer
		root := newRootCmd()
		root.SetOut(&out)
		root.SetArgs(append([]string{"local", "--db", db}, tc.args...))
		if err := root.Execute(); err != nil {
			t.Fatalf("local %v: %v", tc.args, err)
		}
		for _, w := range tc.want {
			if !strings.Contains(out.String(), w) {
				t.Errorf("local %v lacks %q:\n%s", tc.args, w, out.String())
			}
		}
	}
}

func TestLocalErrors(t *testing.T) {
	db := filepath.Join(t.TempDir(), "local.db")
	s, err := local.Open(db)
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"local", "--db", filepath.Join(t.TempDir(), "none.db"), "cases"}, "does not exist"},
		{[]string{"local", "--db", db, "tickets"}, `unknown table "tickets"`},
		{[]string{"local", "--db", db, "notes", "CASE-000009"}, "not found"},
		{[]string{"local", "--db", db, "cases", "x"}, "takes no further argument"},
	} {
		root := newRootCmd()
		root.SetOut(&bytes.Buffer{})
		root.SetArgs(tc.args)
		if err := root.Execute(); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%v: error = %v, want %q", tc.args, err, tc.want)
		}
	}
}
