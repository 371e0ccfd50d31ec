package auth

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/frontdeskhq/frontdesk/core/session"
)

// Valet issues and redeems valet keys: short-lived signed links that let a customer continue
// one request in another channel (an email reply carries one that opens the web chat). A key
// is an HMAC-SHA256 signature over its scope and expiry; it opens only the case, intent and
// policy it names, and only once: redeeming records its id in the session store, so a second
// redemption fails on every instance.
type Valet struct {
	// Keys verify signatures; the first one signs. Add a new key in front to rotate, and drop
	// the old one once the longest TTL has passed. Each should be 32 random bytes.
	Keys [][]byte
	// Used remembers redeemed keys until they expire.
	Used session.Store
	// TTL is the lifetime of issued keys; 24 hours when zero.
	TTL time.Duration
	// Clock is the time source; time.Now when nil.
	Clock func() time.Time
}

// Scope is what a valet key opens.
type Scope struct {
	CaseID string `json:"case"`
	Intent string `json:"intent,omitempty"`
	Policy string `json:"policy,omitempty"`
	// ConversationID names the conversation the key continues, when there is one.
	ConversationID string `json:"conv,omitempty"`
	// Email is the address the key was sent to, so the continued chat knows its contact.
	Email string `json:"email,omitempty"`
}

// Grant is a verified key: its scope, id and expiry.
type Grant struct {
	Scope
	ID      string    `json:"id"`
	Expires time.Time `json:"-"`
}

// claims is the signed payload.
type claims struct {
	Scope
	ID  string `json:"id"`
	Exp int64  `json:"exp"`
}

// Errors of Verify and Redeem. Channels answer all of them with 401 or 403 and the error's
// text, which names the cause without revealing anything about valid keys.
var (
	ErrKeyMalformed = errors.New("valet key is malformed")
	ErrKeySignature = errors.New("valet key signature does not match")
	ErrKeyExpired   = errors.New("valet key expired")
	ErrKeyUsed      = errors.New("valet key was already used")
)

func (v *Valet) now() time.Time {
	if v.Clock != nil {
		return v.Clock()
	}
	return time.Now()
}

// Issue signs a key for scope, valid for the Valet's TTL.
func (v *Valet) Issue(scope Scope) (string, error) {
	if len(v.Keys) == 0 || len(v.Keys[0]) < 16 {
		return "", errors.New("valet: a signing key of at least 16 bytes is required")
	}
	if scope.CaseID == "" {
		return "", errors.New("valet: a key must be scoped to a case")
	}
	ttl := v.TTL
	if ttl == 0 {
		ttl = 24 * time.Hour
	}
	var id [12]byte
	_, _ = rand.Read(id[:])
	payload, err := json.Marshal(claims{Scope: scope, ID: hex.EncodeToString(id[:]), Exp: v.now().Add(ttl).Unix()})
	if err != nil {
		return "", err
	}
	body := base64.RawURLEncoding.EncodeToString(payload)
	return body + "." + base64.RawURLEncoding.EncodeToString(sign(v.Keys[0], body)), nil
}

// Verify checks a key's signature and expiry without using it up.
func (v *Valet) Verify(token string) (Grant, error) {
	body, sig, ok := strings.Cut(token, ".")
	if !ok || len(token) > 4096 {
		return Grant{}, ErrKeyMalformed
	}
	mac, err := base64.RawURLEncoding.DecodeString(sig)
	if err != nil {
		return Grant{}, ErrKeyMalformed
	}
	signed := false
	for _, k := range v.Keys {
		if hmac.Equal(mac, sign(k, body)) {
			signed = true
			break
		}
	}
	if !signed {
		return Grant{}, ErrKeySignature
	}
	payload, err := base64.RawURLEncoding.DecodeString(body)
	if err != nil {
		return Grant{}, ErrKeyMalformed
	}
	var c claims
	if err := json.Unmarshal(payload, &c); err != nil || c.ID == "" || c.CaseID == "" {
		return Grant{}, ErrKeyMalformed
	}
	g := Grant{Scope: c.Scope, ID: c.ID, Expires: time.Unix(c.Exp, 0)}
	if !v.now().Before(g.Expires) {
		return Grant{}, ErrKeyExpired
	}
	return g, nil
}

// Redeem verifies a key and uses it up: of any number of redemptions of one key, across
// instances too, exactly one succeeds.
func (v *Valet) Redeem(ctx context.Context, token string) (Grant, error) {
	g, err := v.Verify(token)
	if err != nil {
		return Grant{}, err
	}
	if v.Used == nil {
		return Grant{}, errors.New("valet: no store to record redeemed keys")
	}
	// Keep the mark a minute past expiry so that clock skew between instances cannot reopen it.
	ttl := g.Expires.Sub(v.now()) + time.Minute
	key := "valet/used/" + g.ID
	// The mark names this redemption, so that a write applied by an attempt whose answer was
	// lost (and retried into a conflict) is recognized as ours, not as an earlier use.
	var nonce [8]byte
	_, _ = rand.Read(nonce[:])
	mark := []byte(hex.EncodeToString(nonce[:]))
	if _, err := v.Used.CompareAndSet(ctx, key, mark, 0, ttl); err != nil {
		if errors.Is(err, session.ErrConflict) {
			if got, _, gerr := v.Used.Get(ctx, key); gerr == nil && string(got) == string(mark) {
				return g, nil
			}
			return Grant{}, ErrKeyUsed
		}
		return Grant{}, fmt.Errorf("valet: recording the redemption: %w", err)
	}
	return g, nil
}

func sign(key []byte, body string) []byte {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(body))
	return m.Sum(nil)
}
