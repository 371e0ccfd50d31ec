package store

import (
	"context"
	"crypto/sha256"
	"time"
)

// APIKey is a stored API key. The store keeps only the SHA-256 hash of the secret: API keys
// are long random strings, so a fast hash is enough and lets a key be found by its hash.
type APIKey struct {
	// ID names the key in lists and audit entries; it is not secret.
	ID    string
	Owner string
	// Role is what the key may do, such as "admin" or "author"; core/auth gives it meaning.
	Role      string
	CreatedAt time.Time
	// RevokedAt is set once the key is revoked; a revoked key no longer authenticates.
	RevokedAt *time.Time
}

// APIKeys keeps API keys.
type APIKeys interface {
	// CreateAPIKey stores a key under its secret's hash; an ID already used gives ErrExists.
	CreateAPIKey(ctx context.Context, key APIKey, secret string) error
	// AuthenticateAPIKey returns the unrevoked key whose secret this is, or ErrNotFound.
	AuthenticateAPIKey(ctx context.Context, secret string) (APIKey, error)
	// ListAPIKeys returns every key, revoked ones included, by ID.
	ListAPIKeys(ctx context.Context) ([]APIKey, error)
	// RevokeAPIKey revokes the key, or gives ErrNotFound.
	RevokeAPIKey(ctx context.Context, id string) error
}

// HashAPIKey returns the hash under which a secret is stored.
func HashAPIKey(secret string) []byte {
	h := sha256.Sum256([]byte(secret))
	return h[:]
}
