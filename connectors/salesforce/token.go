package salesforce

import (
	"context"
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/frontdeskhq/frontdesk/connectors/internal/retry"
)

// token is an access token and the instance it is good for.
type token struct {
	AccessToken string `json:"access_token"`
	InstanceURL string `json:"instance_url"`
	TokenType   string `json:"token_type"`
}

// oauthError is the body of a failed token request.
type oauthError struct {
	Error       string `json:"error"`
	Description string `json:"error_description"`
}

// tokenSource signs in once and hands out the token until Salesforce rejects it.
type tokenSource struct {
	auth     Auth
	tokenURL string
	key      *rsa.PrivateKey
	http     *retry.Client
	now      func() time.Time

	mu      sync.Mutex
	current *token
}

func newTokenSource(c Config, hc *retry.Client) (*tokenSource, error) {
	ts := &tokenSource{auth: c.Auth, tokenURL: c.Auth.TokenURL, http: hc, now: time.Now}
	if ts.tokenURL == "" {
		ts.tokenURL = strings.TrimRight(c.InstanceURL, "/") + "/services/oauth2/token"
	}
	if c.Auth.Flow == FlowJWTBearer {
		pemText := []byte(c.Auth.PrivateKey)
		if len(pemText) == 0 {
			var err error
			if pemText, err = os.ReadFile(c.Auth.PrivateKeyFile); err != nil {
				return nil, fmt.Errorf("salesforce: private key: %w", err)
			}
		}
		key, err := parseRSAKey(pemText)
		if err != nil {
			return nil, fmt.Errorf("salesforce: private key: %w", err)
		}
		ts.key = key
	}
	return ts, nil
}

// Token returns the current token, signing in when there is none.
func (ts *tokenSource) Token(ctx context.Context) (*token, error) {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	if ts.current != nil {
		return ts.current, nil
	}
	t, err := ts.fetch(ctx)
	if err != nil {
		return nil, err
	}
	ts.current = t
	return t, nil
}

// Invalidate drops the token if it is still the one Salesforce rejected, so that concurrent
// callers who all saw it rejected sign in once, not once each.
func (ts *tokenSource) Invalidate(rejected *token) {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	if ts.current == rejected {
		ts.current = nil
	}
}

func (ts *tokenSource) fetch(ctx context.Context) (*token, error) {
	form := url.Values{}
	switch ts.auth.Flow {
	case FlowJWTBearer:
		assertion, err := ts.assertion()
		if err != nil {
			return nil, err
		}
		form.Set("grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer")
		form.Set("assertion", assertion)
	default:
		form.Set("grant_type", "client_credentials")
		form.Set("client_id", ts.auth.ClientID)
		form.Set("client_secret", ts.auth.ClientSecret)
	}
	body := form.Encode()
	resp, err := ts.http.Do(ctx, func(ctx context.Context) (*http.Request, error) {
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, ts.tokenURL, strings.NewReader(body))
		if err != nil {
			return nil, err
		}
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Accept", "application/json")
		return req, nil
	})
	if err != nil {
		return nil, fmt.Errorf("salesforce: sign-in: %w", err)
	}
	return decodeToken(resp)
}

// decodeToken reads a token response, or the OAuth error it carries.
func decodeToken(resp *retry.Response) (*token, error) {
	if resp.Status != http.StatusOK {
		var oe oauthError
		if json.Unmarshal(resp.Body, &oe) == nil && oe.Error != "" {
			return nil, fmt.Errorf("salesforce: sign-in: HTTP %d: %s: %s", resp.Status, oe.Error, oe.Description)
		}
		return nil, fmt.Errorf("salesforce: sign-in: HTTP %d after %d attempts: %s", resp.Status, resp.Attempts, resp.Snippet())
	}
	var t token
	if err := json.Unmarshal(resp.Body, &t); err != nil {
		return nil, fmt.Errorf("salesforce: sign-in: malformed token response: %w", err)
	}
	if t.AccessToken == "" {
		return nil, errors.New("salesforce: sign-in: token response has no access_token")
	}
	return &t, nil
}

// assertion builds the RS256-signed JWT of the JWT-bearer flow. Salesforce wants iss (the
// consumer key), sub (the user), aud (the login host) and a short exp.
func (ts *tokenSource) assertion() (string, error) {
	enc := base64.RawURLEncoding
	header := enc.EncodeToString([]byte(`{"alg":"RS256","typ":"JWT"}`))
	claims, err := json.Marshal(map[string]any{
		"iss": ts.auth.ClientID,
		"sub": ts.auth.Username,
		"aud": ts.auth.Audience,
		"exp": ts.now().Add(3 * time.Minute).Unix(),
	})
	if err != nil {
		return "", err
	}
	signing := header + "." + enc.EncodeToString(claims)
	sum := sha256.Sum256([]byte(signing))
	sig, err := rsa.SignPKCS1v15(rand.Reader, ts.key, crypto.SHA256, sum[:])
	if err != nil {
		return "", fmt.Errorf("salesforce: signing the JWT: %w", err)
	}
	return signing + "." + enc.EncodeToString(sig), nil
}

// parseRSAKey reads a PEM RSA private key in PKCS #1 or PKCS #8 form.
func parseRSAKey(pemText []byte) (*rsa.PrivateKey, error) {
	block, _ := pem.Decode(pemText)
	if block == nil {
		return nil, errors.New("no PEM block found")
	}
	if k, err := x509.ParsePKCS1PrivateKey(block.Bytes); err == nil {
		return k, nil
	}
	k, err := x509.ParsePKCS8PrivateKey(block.Bytes)
	if err != nil {
		return nil, fmt.Errorf("neither a PKCS #1 nor a PKCS #8 key: %w", err)
	}
	rk, ok := k.(*rsa.PrivateKey)
	if !ok {
		return nil, fmt.Errorf("a %T key; Salesforce signs JWTs with RSA", k)
	}
	return rk, nil
}
