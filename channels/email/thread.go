package email

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"regexp"
	"strings"

	"github.com/frontdeskhq/frontdesk/channels/email/mime"
	"github.com/frontdeskhq/frontdesk/core/store"
	"github.com/frontdeskhq/frontdesk/sdk/plugin"
)

// Threading: a mail belongs to an existing case when it answers one of frontdesk's replies
// (whose Message-ID carries the case id), when it answers or follows a mail already on a case
// (the Threads map), or when its subject carries a case token such as "[#CASE-000012]".

// replyIDPrefix starts the Message-IDs of frontdesk's replies.
const replyIDPrefix = "frontdesk."

// replyMessageID is the Message-ID of a reply: the case id (hex, so any id fits the
// syntax) and a digest of the reply's key, so that a retried reply keeps its id.
func replyMessageID(caseID, key, domain string) string {
	return replyIDPrefix + hex.EncodeToString([]byte(caseID)) + "." + digest(key)[:16] + "@" + domain
}

// caseFromReplyID returns the case id a reply's Message-ID carries.
func caseFromReplyID(id string) (string, bool) {
	rest, ok := strings.CutPrefix(id, replyIDPrefix)
	if !ok {
		return "", false
	}
	enc, _, ok := strings.Cut(rest, ".")
	b, err := hex.DecodeString(enc)
	if !ok || err != nil || len(b) == 0 {
		return "", false
	}
	return string(b), true
}

var subjectToken = regexp.MustCompile(`\[#([A-Za-z0-9][A-Za-z0-9._-]{0,63})\]`)

// withCaseToken appends the case token to a subject, once.
func withCaseToken(subject, caseID string) string {
	tok := "[#" + caseID + "]"
	if strings.Contains(subject, tok) {
		return subject
	}
	return strings.TrimSpace(subject + " " + tok)
}

// caseExists asks the CRM whether a case exists.
func caseExists(ctx context.Context, crm plugin.CRM, caseID string) (bool, error) {
	_, err := crm.GetCase(ctx, caseID)
	if errors.Is(err, plugin.ErrNotFound) {
		return false, nil
	}
	return err == nil, err
}

func digest(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}

// Threads remembers which case each mail's Message-ID belongs to, in the durable store, so
// that a customer's follow-up finds the case however many instances there are. The entry of a
// mail is written when the mail is fully handled and names the mail's key too, so it also
// tells a redelivered mail (same key) from another mail reusing the Message-ID.
type Threads struct {
	Cursors store.Cursors
}

func threadKey(messageID string) string { return "email/thread/" + digest(messageID)[:32] }

// entry reads the case and mail key stored for a Message-ID; "" when none.
func (t Threads) entry(ctx context.Context, messageID string) (caseID, key string, err error) {
	v, err := t.Cursors.Cursor(ctx, threadKey(messageID))
	if errors.Is(err, store.ErrNotFound) {
		return "", "", nil
	}
	caseID, key, _ = strings.Cut(v, " ")
	return caseID, key, err
}

// Remember records that the mail with this Message-ID and key was handled on a case.
func (t Threads) Remember(ctx context.Context, messageID, caseID, key string) error {
	if messageID == "" {
		return nil
	}
	return t.Cursors.SetCursor(ctx, threadKey(messageID), caseID+" "+key)
}

// Handled returns the case of a mail already handled: one with this Message-ID and key.
func (t Threads) Handled(ctx context.Context, messageID, key string) (string, error) {
	if messageID == "" {
		return "", nil
	}
	caseID, k, err := t.entry(ctx, messageID)
	if err != nil || k != key {
		return "", err
	}
	return caseID, nil
}

// Find returns the case a mail continues, or "" when it starts a new one.
func (t Threads) Find(ctx context.Context, m *mime.Mail, crm plugin.CRM) (string, error) {
	ids := make([]string, 0, len(m.InReplyTo)+len(m.References)+len(m.ReportedIDs))
	ids = append(ids, m.InReplyTo...)
	// References lists the thread oldest first; the newest is the best evidence.
	for i := len(m.References) - 1; i >= 0; i-- {
		ids = append(ids, m.References[i])
	}
	ids = append(ids, m.ReportedIDs...)
	for _, id := range ids {
		c, ok := caseFromReplyID(id)
		if !ok {
			var err error
			if c, _, err = t.entry(ctx, id); err != nil {
				return "", err
			}
		}
		if c == "" {
			continue
		}
		// A reply id or a token anyone can write, or a case deleted since: only a case the
		// CRM has counts, else the mail would fail on it for ever.
		if found, err := caseExists(ctx, crm, c); found || err != nil {
			return c, err
		}
	}
	if sm := subjectToken.FindStringSubmatch(m.Subject); sm != nil {
		if found, err := caseExists(ctx, crm, sm[1]); found || err != nil {
			return sm[1], err
		}
	}
	return "", nil
}
