package webchat

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"net/http"

	"github.com/frontdeskhq/frontdesk/core/auth"
	"github.com/frontdeskhq/frontdesk/core/message"
)

// entryError is why a chat cannot be opened or resumed: an HTTP status (401, 403, 404), a
// stable code and a message for people.
type entryError struct {
	status int
	code   string
	msg    string
}

func (e *entryError) Error() string { return e.msg }

// Entry errors that name no credential problem.
var (
	errNoCredential = &entryError{http.StatusUnauthorized, "unauthenticated",
		"open the chat from the link in your email, or log in to the portal"}
	errPortalOff = &entryError{http.StatusUnauthorized, "portal_disabled", "portal login is not configured for this chat"}
)

// keyError maps a valet key's failure to what the customer is told.
func keyError(err error) *entryError {
	switch {
	case errors.Is(err, auth.ErrKeyExpired):
		return &entryError{http.StatusUnauthorized, "link_expired", "this link has expired; reply to our email to get a new one"}
	case errors.Is(err, auth.ErrKeyUsed):
		return &entryError{http.StatusForbidden, "link_used", "this link was already used; reply to our email to get a new one"}
	case errors.Is(err, auth.ErrKeySignature), errors.Is(err, auth.ErrKeyMalformed):
		return &entryError{http.StatusUnauthorized, "link_invalid", "this link is not valid; check that it was copied whole"}
	}
	return nil
}

// tokenError maps a portal token's failure to what the customer is told.
func tokenError(err error) *entryError {
	switch {
	case errors.Is(err, auth.ErrTokenAudience), errors.Is(err, auth.ErrTokenIssuer):
		return &entryError{http.StatusForbidden, "token_rejected", "your login is not meant for this chat: " + err.Error()}
	case errors.Is(err, auth.ErrTokenExpired):
		return &entryError{http.StatusUnauthorized, "token_expired", "your login has expired; log in again"}
	}
	return &entryError{http.StatusUnauthorized, "token_invalid", "your login could not be verified: " + err.Error()}
}

// openByKey redeems a valet key (once, on any instance) and creates a chat on its case.
func (c *Channel) openByKey(ctx context.Context, key string) (string, error) {
	grant, err := c.cfg.Valet.Redeem(ctx, key)
	if err != nil {
		if e := keyError(err); e != nil {
			return "", e
		}
		return "", err
	}
	ch := &chat{ConversationID: newConversationID(), CaseID: grant.CaseID, Intent: grant.Intent,
		Contact: message.Contact{Email: grant.Email}}
	if c.cfg.CaseCustomer != nil {
		id, err := c.cfg.CaseCustomer(ctx, grant.CaseID)
		if err != nil {
			c.log.WarnContext(ctx, "customer of the link's case not found", "case", grant.CaseID, "err", err)
		}
		ch.Contact.CustomerID = id
	}
	return c.chats.create(ctx, ch)
}

// openByToken verifies a portal JWT and creates a chat without a case: the router creates
// one in the CRM on the first turn.
func (c *Channel) openByToken(ctx context.Context, token string) (string, error) {
	if c.cfg.JWT == nil {
		return "", errPortalOff
	}
	claims, err := c.cfg.JWT.Verify(token)
	if err != nil {
		return "", tokenError(err)
	}
	return c.chats.create(ctx, &chat{ConversationID: newConversationID(), Contact: message.Contact{
		PortalUserID: claims.Subject, Email: claims.Email, CustomerID: claims.CustomerID, Name: claims.Name,
	}})
}

// newConversationID is apart from the session token: conversation ids go to logs and to the
// CRM's external ids, session tokens never.
func newConversationID() string {
	var b [12]byte
	_, _ = rand.Read(b[:])
	return "webchat-" + hex.EncodeToString(b[:])
}
