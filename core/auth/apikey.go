package auth

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"

	"github.com/frontdeskhq/frontdesk/core/store"
)

// Role is what an API key may do on the admin endpoints. Roles are ordered: each may do
// everything the roles below it may.
type Role string

// The roles, from the least to the most trusted.
const (
	// RoleViewer reads policies, analytics, experiments and the audit log.
	RoleViewer Role = "viewer"
	// RoleAuthor also writes drafts and test cases and simulates.
	RoleAuthor Role = "author"
	// RolePublisher also promotes, deploys, rolls back and runs experiments.
	RolePublisher Role = "publisher"
	// RoleAdmin also manages API keys.
	RoleAdmin Role = "admin"
)

var roleRank = map[Role]int{RoleViewer: 1, RoleAuthor: 2, RolePublisher: 3, RoleAdmin: 4}

// Roles lists the roles in ascending order.
func Roles() []Role { return []Role{RoleViewer, RoleAuthor, RolePublisher, RoleAdmin} }

// ParseRole checks that s names a role.
func ParseRole(s string) (Role, error) {
	r := Role(s)
	if roleRank[r] == 0 {
		return "", fmt.Errorf("%w: %q (want viewer, author, publisher or admin)", ErrUnknownRole, s)
	}
	return r, nil
}

// Allows reports whether a key of role r may do what needs role need.
func (r Role) Allows(need Role) bool { return roleRank[r] > 0 && roleRank[r] >= roleRank[need] }

// Errors of API key authentication.
var (
	// ErrNoCredentials is returned when a request carries no bearer key.
	ErrNoCredentials = errors.New("auth: no API key")
	// ErrBadCredentials is returned for a key that is unknown, revoked or malformed.
	ErrBadCredentials = errors.New("auth: unknown or revoked API key")
	// ErrUnknownRole is returned for a role name that is not one of Roles.
	ErrUnknownRole = errors.New("auth: unknown role")
)

// Principal is who a request acts as: the key and its owner, whom the audit log names.
type Principal struct {
	KeyID string `json:"id"`
	Owner string `json:"owner"`
	Role  Role   `json:"role"`
}

// BootstrapOwner is the owner the configured admin token acts as.
const BootstrapOwner = "admin-token"

// KeyPrefix starts every generated secret, so a leaked one is recognizable in logs and scans.
const KeyPrefix = "fdk_"

// APIKeys authenticates API keys against the store, where they are kept hashed. A configured
// bootstrap admin token also authenticates, so the first keys can be created.
type APIKeys struct {
	Store store.APIKeys
	// AdminToken, when set, acts as an admin key owned by BootstrapOwner.
	AdminToken string
}

// Authenticate returns the principal of an Authorization header value ("Bearer KEY").
func (k *APIKeys) Authenticate(ctx context.Context, header string) (Principal, error) {
	secret, ok := strings.CutPrefix(header, "Bearer ")
	if !ok || secret == "" {
		return Principal{}, ErrNoCredentials
	}
	if k.AdminToken != "" && subtle.ConstantTimeCompare([]byte(secret), []byte(k.AdminToken)) == 1 {
		return Principal{KeyID: BootstrapOwner, Owner: BootstrapOwner, Role: RoleAdmin}, nil
	}
	if len(secret) < store.MinAPIKeySecret || k.Store == nil {
		return Principal{}, ErrBadCredentials
	}
	key, err := k.Store.AuthenticateAPIKey(ctx, secret)
	if errors.Is(err, store.ErrNotFound) {
		return Principal{}, ErrBadCredentials
	}
	if err != nil {
		return Principal{}, err
	}
	role, err := ParseRole(key.Role)
	if err != nil {
		return Principal{}, fmt.Errorf("%w: key %s has role %q", ErrBadCredentials, key.ID, key.Role)
	}
	return Principal{KeyID: key.ID, Owner: key.Owner, Role: role}, nil
}

// Create makes a new key with a random secret, stores its hash and returns the secret, which
// is not kept anywhere else.
func (k *APIKeys) Create(ctx context.Context, id, owner string, role Role) (store.APIKey, string, error) {
	if _, err := ParseRole(string(role)); err != nil {
		return store.APIKey{}, "", err
	}
	var b [32]byte
	if _, err := rand.Read(b[:]); err != nil {
		return store.APIKey{}, "", err
	}
	secret := KeyPrefix + base64.RawURLEncoding.EncodeToString(b[:])
	key := store.APIKey{ID: id, Owner: owner, Role: string(role)}
	if err := k.Store.CreateAPIKey(ctx, key, secret); err != nil {
		return store.APIKey{}, "", err
	}
	return key, secret, nil
}
