package admin

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"path/filepath"
	"testing"

	"github.com/frontdeskhq/frontdesk/core/auth"
	"github.com/frontdeskhq/frontdesk/core/store"
)

// TestRolesOnAdminEndpoints checks each admin endpoint against each role's key, the admin
// token and no key.
func TestRolesOnAdminEndpoints(t *testing.T) {
	ctx := context.Background()
	st, err := store.OpenSQLite(ctx, filepath.Join(t.TempDir(), "keys.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	keys := &auth.APIKeys{Store: st, AdminToken: "the-admin-token"}
	secrets := map[auth.Role]string{}
	for _, role := range auth.Roles() {
		_, secret, err := keys.Create(ctx, "k-"+string(role), string(role), role)
		if err != nil {
			t.Fatal(err)
		}
		secrets[role] = secret
	}
	url := serve(t, Config{Token: "the-admin-token", Keys: keys,
		ReloadModel: func(context.Context) error { return errors.New("no model here") },
		RunExecutor: func(context.Context, []byte, json.RawMessage) (any, error) { return map[string]bool{"ran": true}, nil }})
	module := `{"module": "` + base64.StdEncoding.EncodeToString([]byte("\x00asm")) + `"}`
	for _, ep := range []struct {
		path, body string
		need       auth.Role
	}{
		{"/v1/admin/model/reload", "", auth.RoleAdmin},
		{"/v1/executors/run", module, auth.RoleAuthor},
	} {
		if status, _ := call(t, url+ep.path, "", ep.body); status != 401 {
			t.Errorf("%s without a key = %d, want 401", ep.path, status)
		}
		if status, _ := call(t, url+ep.path, "the-admin-token", ep.body); status == 401 || status == 403 {
			t.Errorf("%s with the admin token = %d", ep.path, status)
		}
		for _, role := range auth.Roles() {
			status, body := call(t, url+ep.path, secrets[role], ep.body)
			allowed := status != 401 && status != 403
			if allowed != role.Allows(ep.need) {
				t.Errorf("%s as %s = %d %v; allowed %v, want %v", ep.path, role, status, body, allowed, role.Allows(ep.need))
			}
		}
	}
}
