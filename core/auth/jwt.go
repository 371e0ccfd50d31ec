package auth

import (
	"crypto"
	"crypto/hmac"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
)

// JWT verifies the portal's JSON Web Tokens (RFC 7519) of logged-in customers: compact JWS
// signed with HS256 or RS256, issuer and audience checked, expiry required, with leeway for
// clock skew. HMAC secrets and RSA public keys are kept apart, so a token cannot pass an RSA
// public key off as an HMAC secret (the "alg confusion" attack).
type JWT struct {
	// Issuer must equal the token's iss.
	Issuer string
	// Audience must be one of the token's aud values.
	Audience string
	// HMACKeys verify HS256 tokens; each should be at least 32 bytes.
	HMACKeys [][]byte
	// RSAKeys verify RS256 tokens.
	RSAKeys []*rsa.PublicKey
	// Leeway tolerates clock skew on exp, nbf and iat; 30 seconds when zero.
	Leeway time.Duration
	// Clock is the time source; time.Now when nil.
	Clock func() time.Time
}

// Claims are what frontdesk reads from a verified token.
type Claims struct {
	Subject    string    `json:"sub"`
	Issuer     string    `json:"iss"`
	Audience   []string  `json:"-"`
	Expires    time.Time `json:"-"`
	Email      string    `json:"email,omitempty"`
	Name       string    `json:"name,omitempty"`
	CustomerID string    `json:"customer_id,omitempty"`
}

// Errors of JWT.Verify; channels answer them with 401 (403 for a wrong audience or issuer)
// and the error's text.
var (
	ErrTokenMalformed = errors.New("token is malformed")
	ErrTokenAlgorithm = errors.New("token algorithm is not accepted (HS256 or RS256 with a configured key)")
	ErrTokenSignature = errors.New("token signature does not match")
	ErrTokenExpired   = errors.New("token expired")
	ErrTokenNotYet    = errors.New("token is not valid yet")
	ErrTokenIssuer    = errors.New("token issuer is not accepted")
	ErrTokenAudience  = errors.New("token audience is not accepted")
)

// maxTokenLength bounds what is decoded at all.
const maxTokenLength = 8 << 10

// jwtHeader is the JOSE header.
type jwtHeader struct {
	Alg string `json:"alg"`
	Typ string `json:"typ,omitempty"`
}

// rawClaims are the registered claims as they arrive: aud may be a string or a list.
type rawClaims struct {
	Claims
	Aud json.RawMessage `json:"aud"`
	Exp *float64        `json:"exp"`
	Nbf *float64        `json:"nbf"`
	Iat *float64        `json:"iat"`
}

// Verify checks a token's signature, issuer, audience and times, and returns its claims.
func (j *JWT) Verify(token string) (Claims, error) {
	if len(token) > maxTokenLength {
		return Claims{}, ErrTokenMalformed
	}
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		return Claims{}, ErrTokenMalformed
	}
	var h jwtHeader
	if err := decodeSegment(parts[0], &h); err != nil {
		return Claims{}, err
	}
	sig, err := base64.RawURLEncoding.DecodeString(parts[2])
	if err != nil {
		return Claims{}, ErrTokenMalformed
	}
	signed := parts[0] + "." + parts[1]
	if err := j.verifySignature(h.Alg, signed, sig); err != nil {
		return Claims{}, err
	}
	var rc rawClaims
	if err := decodeSegment(parts[1], &rc); err != nil {
		return Claims{}, err
	}
	aud, err := audiences(rc.Aud)
	if err != nil {
		return Claims{}, err
	}
	c := rc.Claims
	c.Audience = aud
	if err := j.checkTimes(&c, rc); err != nil {
		return Claims{}, err
	}
	if c.Issuer != j.Issuer {
		return Claims{}, ErrTokenIssuer
	}
	if !slices.Contains(c.Audience, j.Audience) {
		return Claims{}, ErrTokenAudience
	}
	return c, nil
}

func (j *JWT) verifySignature(alg, signed string, sig []byte) error {
	digest := sha256.Sum256([]byte(signed))
	switch {
	case alg == "HS256" && len(j.HMACKeys) > 0:
		for _, k := range j.HMACKeys {
			m := hmac.New(sha256.New, k)
			m.Write([]byte(signed))
			if hmac.Equal(sig, m.Sum(nil)) {
				return nil
			}
		}
	case alg == "RS256" && len(j.RSAKeys) > 0:
		for _, k := range j.RSAKeys {
			if rsa.VerifyPKCS1v15(k, crypto.SHA256, digest[:], sig) == nil {
				return nil
			}
		}
	default:
		return ErrTokenAlgorithm
	}
	return ErrTokenSignature
}

func (j *JWT) checkTimes(c *Claims, rc rawClaims) error {
	now := time.Now()
	if j.Clock != nil {
		now = j.Clock()
	}
	leeway := j.Leeway
	if leeway == 0 {
		leeway = 30 * time.Second
	}
	if rc.Exp == nil {
		return fmt.Errorf("%w: exp is required", ErrTokenMalformed)
	}
	c.Expires = time.Unix(int64(*rc.Exp), 0)
	if !now.Before(c.Expires.Add(leeway)) {
		return ErrTokenExpired
	}
	for _, t := range []*float64{rc.Nbf, rc.Iat} {
		if t != nil && now.Add(leeway).Before(time.Unix(int64(*t), 0)) {
			return ErrTokenNotYet
		}
	}
	return nil
}

// audiences reads aud, a string or a list of strings.
func audiences(raw json.RawMessage) ([]string, error) {
	if len(raw) == 0 {
		return nil, nil
	}
	var one string
	if json.Unmarshal(raw, &one) == nil {
		return []string{one}, nil
	}
	var many []string
	if err := json.Unmarshal(raw, &many); err != nil {
		return nil, fmt.Errorf("%w: aud is neither a string nor a list of strings", ErrTokenMalformed)
	}
	return many, nil
}

func decodeSegment(seg string, v any) error {
	data, err := base64.RawURLEncoding.DecodeString(seg)
	if err != nil {
		return ErrTokenMalformed
	}
	if err := json.Unmarshal(data, v); err != nil {
		return ErrTokenMalformed
	}
	return nil
}

// SignJWT signs claims as a compact JWS: HS256 with a []byte key, RS256 with an
// *rsa.PrivateKey. Portals sign their own tokens; frontdesk uses this in tests and in the
// development portal login.
func SignJWT(claims map[string]any, key any) (string, error) {
	alg := "HS256"
	if _, ok := key.(*rsa.PrivateKey); ok {
		alg = "RS256"
	}
	head, _ := json.Marshal(jwtHeader{Alg: alg, Typ: "JWT"})
	body, err := json.Marshal(claims)
	if err != nil {
		return "", err
	}
	signed := base64.RawURLEncoding.EncodeToString(head) + "." + base64.RawURLEncoding.EncodeToString(body)
	var sig []byte
	switch k := key.(type) {
	case []byte:
		m := hmac.New(sha256.New, k)
		m.Write([]byte(signed))
		sig = m.Sum(nil)
	case *rsa.PrivateKey:
		digest := sha256.Sum256([]byte(signed))
		if sig, err = rsa.SignPKCS1v15(rand.Reader, k, crypto.SHA256, digest[:]); err != nil {
			return "", err
		}
	default:
		return "", fmt.Errorf("auth: cannot sign with a %T key", key)
	}
	return signed + "." + base64.RawURLEncoding.EncodeToString(sig), nil
}

// ParseRSAPublicKey reads a PEM "PUBLIC KEY" (PKIX) or "RSA PUBLIC KEY" (PKCS #1) block.
func ParseRSAPublicKey(data []byte) (*rsa.PublicKey, error) {
	block, _ := pem.Decode(data)
	if block == nil {
		return nil, errors.New("auth: no PEM block in the RSA public key")
	}
	switch block.Type {
	case "RSA PUBLIC KEY":
		return x509.ParsePKCS1PublicKey(block.Bytes)
	case "PUBLIC KEY":
		k, err := x509.ParsePKIXPublicKey(block.Bytes)
		if err != nil {
			return nil, err
		}
		rk, ok := k.(*rsa.PublicKey)
		if !ok {
			return nil, fmt.Errorf("auth: the public key is %T, not RSA", k)
		}
		return rk, nil
	}
	return nil, fmt.Errorf("auth: PEM block %q is not an RSA public key", block.Type)
}
