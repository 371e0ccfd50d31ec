package auth

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
	"errors"
	"strings"
	"testing"
	"time"
)

var jwtNow = time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)

func testRSAKey(t testing.TB) *rsa.PrivateKey {
	k, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func portalClaims(over map[string]any) map[string]any {
	c := map[string]any{"iss": "https://portal.example", "aud": "frontdesk", "sub": "u-42",
		"email": "ada@example.com", "customer_id": "C-1001", "exp": jwtNow.Add(time.Hour).Unix()}
	for k, v := range over {
		if v == nil {
			delete(c, k)
		} else {
			c[k] = v
		}
	}
	return c
}

func TestJWTVerify(t *testing.T) {
	secret := []byte("0123456789abcdef0123456789abcdef")
	rsaKey := testRSAKey(t)
	otherRSA := testRSAKey(t)
	pubDER, _ := x509.MarshalPKIXPublicKey(&rsaKey.PublicKey)
	pub, err := ParseRSAPublicKey(pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: pubDER}))
	if err != nil {
		t.Fatal(err)
	}
	v := &JWT{Issuer: "https://portal.example", Audience: "frontdesk", HMACKeys: [][]byte{secret},
		RSAKeys: []*rsa.PublicKey{pub}, Clock: func() time.Time { return jwtNow }}
	rsaOnly := &JWT{Issuer: v.Issuer, Audience: v.Audience, RSAKeys: v.RSAKeys, Clock: v.Clock}

	sign := func(claims map[string]any, key any) string {
		tok, err := SignJWT(claims, key)
		if err != nil {
			t.Fatal(err)
		}
		return tok
	}
	good := sign(portalClaims(nil), secret)
	parts := strings.Split(good, ".")
	tampered := parts[0] + "." + base64.RawURLEncoding.EncodeToString([]byte(`{"iss":"https://portal.example","aud":"frontdesk","sub":"admin","exp":9999999999}`)) + "." + parts[2]
	none := base64.RawURLEncoding.EncodeToString([]byte(`{"alg":"none"}`)) + "." + parts[1] + "."

	for _, tc := range []struct {
		name  string
		v     *JWT
		token string
		want  error
	}{
		{"HS256", v, good, nil},
		{"RS256", v, sign(portalClaims(nil), rsaKey), nil},
		{"audience list", v, sign(portalClaims(map[string]any{"aud": []string{"billing", "frontdesk"}}), secret), nil},
		{"expired within leeway", v, sign(portalClaims(map[string]any{"exp": jwtNow.Add(-10 * time.Second).Unix()}), secret), nil},
		{"expired", v, sign(portalClaims(map[string]any{"exp": jwtNow.Add(-time.Minute).Unix()}), secret), ErrTokenExpired},
		{"no expiry", v, sign(portalClaims(map[string]any{"exp": nil}), secret), ErrTokenMalformed},
		{"not yet valid", v, sign(portalClaims(map[string]any{"nbf": jwtNow.Add(time.Hour).Unix()}), secret), ErrTokenNotYet},
		{"wrong audience", v, sign(portalClaims(map[string]any{"aud": "billing"}), secret), ErrTokenAudience},
		{"no audience", v, sign(portalClaims(map[string]any{"aud": nil}), secret), ErrTokenAudience},
		{"wrong issuer", v, sign(portalClaims(map[string]any{"iss": "https://evil.example"}), secret), ErrTokenIssuer},
		{"wrong HMAC key", v, sign(portalClaims(nil), []byte("another secret of thirty-two bytes")), ErrTokenSignature},
		{"wrong RSA key", v, sign(portalClaims(nil), otherRSA), ErrTokenSignature},
		{"tampered payload", v, tampered, ErrTokenSignature},
		{"alg none", v, none, ErrTokenAlgorithm},
		{"HS256 signed with the RSA public key", rsaOnly, sign(portalClaims(nil), pubDER), ErrTokenAlgorithm},
		{"two segments", v, parts[0] + "." + parts[1], ErrTokenMalformed},
		{"bad base64", v, "!!." + parts[1] + "." + parts[2], ErrTokenMalformed},
		{"oversized", v, strings.Repeat("a", 9000), ErrTokenMalformed},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, err := tc.v.Verify(tc.token)
			if !errors.Is(err, tc.want) {
				t.Fatalf("Verify = %v, want %v", err, tc.want)
			}
			if tc.want == nil && (c.Subject != "u-42" || c.CustomerID != "C-1001" || c.Email != "ada@example.com") {
				t.Fatalf("claims %+v", c)
			}
		})
	}
}

func TestParseRSAPublicKeyRejects(t *testing.T) {
	for _, in := range []string{"", "not pem", "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"} {
		if _, err := ParseRSAPublicKey([]byte(in)); err == nil {
			t.Errorf("ParseRSAPublicKey(%q) accepted", in)
		}
	}
}

// FuzzJWTVerify: no input panics, and only a token signed with the key verifies.
func FuzzJWTVerify(f *testing.F) {
	secret := []byte("0123456789abcdef0123456789abcdef")
	good, _ := SignJWT(portalClaims(nil), secret)
	for _, s := range []string{good, "", "a.b.c", "..", good + "x", "eyJhbGciOiJIUzI1NiJ9.e30.", strings.Replace(good, ".", "..", 1)} {
		f.Add(s)
	}
	v := &JWT{Issuer: "https://portal.example", Audience: "frontdesk", HMACKeys: [][]byte{secret}, Clock: func() time.Time { return jwtNow }}
	f.Fuzz(func(t *testing.T, token string) {
		c, err := v.Verify(token)
		if err == nil && token != good && c.Subject == "" {
			t.Fatalf("verified %q with empty claims", token)
		}
	})
}
