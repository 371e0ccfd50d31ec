package auth

import (
	"context"
	"encoding/base64"
	"errors"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/frontdeskhq/frontdesk/core/session"
)

func newValet(now *time.Time) *Valet {
	return &Valet{
		Keys:  [][]byte{[]byte("0123456789abcdef0123456789abcdef")},
		Used:  session.NewMemory(),
		TTL:   time.Hour,
		Clock: func() time.Time { return *now },
	}
}

func TestValetKeyOpensItsScopeOnce(t *testing.T) {
	now := time.Date(2026, 11, 21, 10, 0, 0, 0, time.UTC)
	v := newValet(&now)
	scope := Scope{CaseID: "C-1", Intent: "change_address", Policy: "change-address", Email: "ana@example.com"}
	token, err := v.Issue(scope)
	if err != nil {
		t.Fatal(err)
	}
	g, err := v.Redeem(context.Background(), token)
	if err != nil {
		t.Fatal(err)
	}
	if g.Scope != scope {
		t.Fatalf("scope = %+v, want %+v", g.Scope, scope)
	}
	if _, err := v.Redeem(context.Background(), token); !errors.Is(err, ErrKeyUsed) {
		t.Fatalf("second redemption: %v, want ErrKeyUsed", err)
	}
}

func TestValetRejectsExpiredTamperedAndForeignKeys(t *testing.T) {
	now := time.Date(2026, 11, 21, 10, 0, 0, 0, time.UTC)
	v := newValet(&now)
	token, _ := v.Issue(Scope{CaseID: "C-1"})
	body, sig, _ := strings.Cut(token, ".")
	other := newValet(&now)
	other.Keys = [][]byte{[]byte("another key of thirty-two bytes!")}
	foreign, _ := other.Issue(Scope{CaseID: "C-1"})
	for name, tc := range map[string]struct {
		token string
		want  error
	}{
		"empty":           {"", ErrKeyMalformed},
		"no signature":    {body, ErrKeyMalformed},
		"bad base64":      {body + ".***", ErrKeyMalformed},
		"tampered body":   {"x" + body + "." + sig, ErrKeySignature},
		"other signer":    {foreign, ErrKeySignature},
		"truncated sig":   {body + "." + sig[:10], ErrKeySignature},
		"huge":            {strings.Repeat("a", 5000) + "." + sig, ErrKeyMalformed},
		"signed garbage":  {garbage(v), ErrKeyMalformed},
		"valid, for sure": {token, nil},
	} {
		if _, err := v.Verify(tc.token); !errors.Is(err, tc.want) {
			t.Errorf("%s: %v, want %v", name, err, tc.want)
		}
	}
	now = now.Add(time.Hour)
	if _, err := v.Redeem(context.Background(), token); !errors.Is(err, ErrKeyExpired) {
		t.Fatalf("after TTL: %v, want ErrKeyExpired", err)
	}
}

func garbage(v *Valet) string {
	body := "bm90IGpzb24" // "not json"
	return body + "." + base64.RawURLEncoding.EncodeToString(sign(v.Keys[0], body))
}

func TestValetRotationAcceptsOldKeys(t *testing.T) {
	now := time.Now()
	v := newValet(&now)
	token, _ := v.Issue(Scope{CaseID: "C-9"})
	v.Keys = append([][]byte{[]byte("the new signing key, 32 bytes!!!")}, v.Keys...)
	if _, err := v.Verify(token); err != nil {
		t.Fatalf("key signed before rotation: %v", err)
	}
}

func TestValetConcurrentRedemptionsSucceedOnce(t *testing.T) {
	now := time.Now()
	v := newValet(&now)
	token, _ := v.Issue(Scope{CaseID: "C-2"})
	var wins atomic.Int32
	var wg sync.WaitGroup
	for range 32 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := v.Redeem(context.Background(), token); err == nil {
				wins.Add(1)
			}
		}()
	}
	wg.Wait()
	if wins.Load() != 1 {
		t.Fatalf("%d redemptions succeeded, want 1", wins.Load())
	}
}

func TestValetIssueNeedsKeyAndCase(t *testing.T) {
	now := time.Now()
	v := newValet(&now)
	if _, err := v.Issue(Scope{}); err == nil {
		t.Error("a key without a case was issued")
	}
	v.Keys = nil
	if _, err := v.Issue(Scope{CaseID: "C"}); err == nil {
		t.Error("a key was issued without a signing key")
	}
}

func FuzzValetVerify(f *testing.F) {
	now := time.Date(2026, 11, 21, 10, 0, 0, 0, time.UTC)
	v := newValet(&now)
	token, _ := v.Issue(Scope{CaseID: "C-1", Intent: "x"})
	f.Add(token)
	f.Add("a.b")
	f.Fuzz(func(t *testing.T, s string) {
		g, err := v.Verify(s)
		if err == nil && g.CaseID == "" {
			t.Fatalf("verified a key without a case: %q", s)
		}
	})
}

// answerLost applies a compare-and-set and answers it with a conflict, as a retried Redis
// write whose first answer was lost does.
type answerLost struct{ session.Store }

func (s answerLost) CompareAndSet(ctx context.Context, key string, value []byte, version uint64, ttl time.Duration) (uint64, error) {
	if _, err := s.Store.CompareAndSet(ctx, key, value, version, ttl); err != nil {
		return 0, err
	}
	return 0, session.ErrConflict
}

// TestValetRedemptionWhoseAnswerWasLost: the redemption's own applied write is not mistaken
// for an earlier use of the link.
func TestValetRedemptionWhoseAnswerWasLost(t *testing.T) {
	now := time.Now()
	v := newValet(&now)
	v.Used = answerLost{session.NewMemory()}
	token, _ := v.Issue(Scope{CaseID: "C-3"})
	if _, err := v.Redeem(context.Background(), token); err != nil {
		t.Fatalf("first redemption: %v", err)
	}
	if _, err := v.Redeem(context.Background(), token); !errors.Is(err, ErrKeyUsed) {
		t.Fatalf("second redemption: %v, want ErrKeyUsed", err)
	}
}
