package twilio

import (
	"crypto/hmac"
	"crypto/sha1"
	"encoding/base64"
	"net/url"
	"sort"
)

// Signature computes X-Twilio-Signature: the base64 HMAC-SHA1, keyed with the account's auth
// token, of the full URL Twilio requested followed by every posted parameter, sorted by name,
// each name directly followed by its value.
func Signature(authToken, fullURL string, params url.Values) string {
	mac := hmac.New(sha1.New, []byte(authToken))
	mac.Write([]byte(fullURL))
	names := make([]string, 0, len(params))
	for k := range params {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, k := range names {
		vals := append([]string(nil), params[k]...)
		sort.Strings(vals)
		for _, v := range vals {
			mac.Write([]byte(k))
			mac.Write([]byte(v))
		}
	}
	return base64.StdEncoding.EncodeToString(mac.Sum(nil))
}

// ValidSignature reports whether got is the signature of the request, compared in constant
// time.
func ValidSignature(authToken, fullURL string, params url.Values, got string) bool {
	return hmac.Equal([]byte(Signature(authToken, fullURL, params)), []byte(got))
}
