package email_test

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"math/big"
	"net"
	"testing"
	"time"

	"github.com/frontdeskhq/frontdesk/channels/email/devmail"
)

// selfSigned makes a certificate for 127.0.0.1, valid for an hour.
func selfSigned(t *testing.T) *tls.Config {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "devmail test"},
		NotBefore: time.Now().Add(-time.Minute), NotAfter: time.Now().Add(time.Hour),
		IPAddresses: []net.IP{net.ParseIP("127.0.0.1")}, KeyUsage: x509.KeyUsageDigitalSignature,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	return &tls.Config{Certificates: []tls.Certificate{{Certificate: [][]byte{der}, PrivateKey: key}}}
}

// TestTLSAndAuth runs the channel over implicit TLS and over STARTTLS, IMAP and SMTP alike,
// with an SMTP server that refuses mail from clients that did not authenticate.
func TestTLSAndAuth(t *testing.T) {
	for _, c := range []struct {
		security string
		implicit bool
	}{{"starttls", false}, {"tls", true}} {
		t.Run(c.security, func(t *testing.T) {
			r := newRig(t, rigOptions{devmail: devmail.Options{TLS: selfSigned(t), ImplicitTLS: c.implicit, RequireAuth: true}})
			r.mailbox.Security, r.mailbox.InsecureSkipVerify = c.security, true
			r.outbox.SMTP.Security, r.outbox.SMTP.InsecureSkipVerify = c.security, true
			r.outbox.SMTP.User, r.outbox.SMTP.Password = support, devmail.DefaultPassword
			r.receive(mailText("tls@example.com", "moving", "tls-1@x", "I moved, please change my address."))
			r.run(r.poller(r.handle))
			eventually(t, "the reply over "+c.security, 10*time.Second, func() bool { return len(r.sentTo("tls@example.com")) == 1 })
			if got := len(r.cases()); got != 1 {
				t.Errorf("%d cases, want 1", got)
			}
		})
	}
}
