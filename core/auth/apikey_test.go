package auth

import (
	"context"
	"errors"
	"path/filepath"
	"testing"

	"github.com/frontdeskhq/frontdesk/core/store"
)

func TestRoleOrder(t *testing.T) {
	for _, tc := range []struct {
		have, need Role
		ok         bool
	}{
		{RoleViewer, RoleViewer, true},
		{RoleViewer, RoleAuthor, false},
		{RoleAuthor, RoleViewer, true},
		{RoleAuthor, RolePublisher, false},
		{RolePublisher, RoleAuthor, true},
		{RolePublisher, RoleAdmin, false},
		{RoleAdmin, RolePublisher, true},
		{Role("root"), RoleViewer, false},
	} {
		if got := tc.have.Allows(tc.need); got != tc.ok {
			t.Errorf("%s.Allows(%s) = %v, want %v", tc.have, tc.need, got, tc.ok)
		}
	}
	if _, err := ParseRole("root"); !errors.Is(err, ErrUnknownRole) {
		t.Fatalf("ParseRole(root) = %v", err)
	}
}

func TestAPIKeys(t *testing.T) {
	ctx := context.Background()
	st, err := store.OpenSQLite(ctx, filepath.Join(t.TempDir(), "keys.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	keys := &APIKeys{Store: st, AdminToken: "bootstrap-token-of-enough-length"}
	key, secret, err := keys.Create(ctx, "k-anna", "anna@example.com", RolePublisher)
	if err != nil {
		t.Fatal(err)
	}
	if key.Role != "publisher" || len(secret) < 40 {
		t.Fatalf("created %+v with secret %q", key, secret)
	}
	p, err := keys.Authenticate(ctx, "Bearer "+secret)
	if err != nil || p != (Principal{KeyID: "k-anna", Owner: "anna@example.com", Role: RolePublisher}) {
		t.Fatalf("Authenticate = %+v, %v", p, err)
	}
	if p, err := keys.Authenticate(ctx, "Bearer bootstrap-token-of-enough-length"); err != nil || p.Role != RoleAdmin || p.Owner != BootstrapOwner {
		t.Fatalf("bootstrap token = %+v, %v", p, err)
	}
	for _, h := range []string{"", "Bearer ", "Basic abc", "Bearer short", "Bearer " + secret + "x"} {
		if _, err := keys.Authenticate(ctx, h); !errors.Is(err, ErrNoCredentials) && !errors.Is(err, ErrBadCredentials) {
			t.Errorf("Authenticate(%q) = %v, want a credentials error", h, err)
		}
	}
	if err := st.RevokeAPIKey(ctx, "k-anna"); err != nil {
		t.Fatal(err)
	}
	if _, err := keys.Authenticate(ctx, "Bearer "+secret); !errors.Is(err, ErrBadCredentials) {
		t.Fatalf("revoked key = %v, want ErrBadCredentials", err)
	}
	if _, _, err := keys.Create(ctx, "k-x", "x", Role("root")); !errors.Is(err, ErrUnknownRole) {
		t.Fatalf("Create with an unknown role = %v", err)
	}
}
