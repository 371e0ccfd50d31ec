package email

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"strings"
	"time"

	"github.com/frontdeskhq/frontdesk/channels/email/mime"
	"github.com/frontdeskhq/frontdesk/core/auth"
	"github.com/frontdeskhq/frontdesk/core/intent"
	"github.com/frontdeskhq/frontdesk/core/message"
	"github.com/frontdeskhq/frontdesk/core/policy"
	"github.com/frontdeskhq/frontdesk/core/router"
	"github.com/frontdeskhq/frontdesk/core/store"
	"github.com/frontdeskhq/frontdesk/sdk/plugin"
)

// Policies tells which intents a policy serves; *policy.Set is one.
type Policies interface {
	ForIntent(intent string) (*policy.Compiled, bool)
}

// Issuer signs valet keys; *auth.Valet is one.
type Issuer interface {
	Issue(scope auth.Scope) (string, error)
}

// Enqueuer takes replies to send; *Outbox is one.
type Enqueuer interface {
	Enqueue(ctx context.Context, r Reply) error
}

// Intake handles one mail: case, intent, decision. Every field but Classifier, Policies,
// LinkIntents and Log is required.
type Intake struct {
	CRM        plugin.CRM
	Classifier intent.Classifier
	Policies   Policies
	// LinkIntents, when set, are the only intents answered with a link; the others are
	// routed even when a policy serves them. When empty, every intent a policy serves is.
	LinkIntents []string
	Routing     router.Routing
	Valet       Issuer
	// PublicURL is where customers reach frontdesk; links are PublicURL/chat?key=TOKEN.
	PublicURL string
	// ValetTTL is only shown in the reply ("the link works until ..."); the Valet decides.
	ValetTTL  time.Duration
	Threads   Threads
	Processed store.Processed
	Outbox    Enqueuer
	Templates *Templates
	RateLimit RateLimit
	Limits    mime.Limits
	Log       *slog.Logger
	// Metrics counts mails by decision; optional.
	Metrics *Metrics
}

// Decision is what Intake did with a mail.
type Decision string

// Decisions.
const (
	// Linked: a supported intent, answered with a link to web chat.
	Linked Decision = "linked"
	// Routed: assigned to a team's queue with the recognition result.
	Routed Decision = "routed"
	// Threaded: a follow-up, recorded on the case it continues.
	Threaded Decision = "threaded"
	// Empty: a mail with nothing in it; nothing to record.
	Empty Decision = "empty"
	// Duplicate: a mail already handled, seen again (a redelivery, a UIDVALIDITY change).
	Duplicate Decision = "duplicate"
)

// Result reports what Intake did.
type Result struct {
	Key      string
	CaseID   string
	Intent   string
	Decision Decision
	// Reason explains a routing or why no reply was sent.
	Reason string
}

// Handle handles one raw mail from a mailbox. It is idempotent: handling the same mail again
// (after a crash, a redelivery, a UIDVALIDITY change) finds the same case and repeats no
// note, assignment or reply. An error means the mail was not fully handled and must be
// handled again.
func (in *Intake) Handle(ctx context.Context, mb MailboxConfig, raw []byte) (Result, error) {
	res, err := in.handle(ctx, mb, raw)
	if errors.Is(err, plugin.ErrInvalidArgument) {
		err = fmt.Errorf("%w: %w", ErrUnprocessable, err)
	}
	outcome := string(res.Decision)
	if err != nil {
		outcome = "error"
	}
	in.Metrics.mail(mb.withDefaults().Name, outcome)
	return res, err
}

func (in *Intake) handle(ctx context.Context, mb MailboxConfig, raw []byte) (Result, error) {
	mb = mb.withDefaults()
	msg, m, err := Normalize(mb.Name, raw, in.Limits)
	if errors.Is(err, mime.ErrEmpty) {
		return Result{Decision: Empty}, nil
	}
	if err != nil {
		return Result{}, err
	}
	key := msg.Metadata["key"]
	res := Result{Key: key}
	done, err := in.Threads.Handled(ctx, m.MessageID, key)
	if err != nil {
		return res, fmt.Errorf("email: thread of %s: %w", key, err)
	}
	if done != "" {
		res.CaseID, res.Decision = done, Duplicate
		return res, nil
	}
	caseID, err := in.Threads.Find(ctx, m, in.CRM)
	if err != nil {
		return res, fmt.Errorf("email: thread of %s: %w", key, err)
	}
	log := &decisionLog{}
	if caseID != "" {
		res.CaseID, res.Decision = caseID, Threaded
		log.add("follow-up by email from the customer, attached to this case")
		log.add("their words: %s", shorten(m.Text, 500))
	} else {
		c, err := in.CRM.EnsureCase(ctx, plugin.CaseRequest{
			ExternalID: key, Subject: caseSubject(m), Description: shorten(m.FullText, maxDescription),
			Channel: message.ChannelEmail, ContactEmail: m.From.Email, IdempotencyKey: key,
		})
		if err != nil {
			return res, fmt.Errorf("email: case for %s: %w", key, err)
		}
		res.CaseID = c.ID
		msg.CaseID = c.ID
		if err := in.decide(ctx, mb, m, msg, &res, log); err != nil {
			return res, err
		}
	}
	for _, a := range msg.Attachments {
		log.add("attachment %q (%s, %d bytes), content not kept", a.Name, a.ContentType, a.Size)
	}
	if len(m.Problems) > 0 {
		log.add("mail partly unreadable: %s", strings.Join(m.Problems, "; "))
	}
	if err := in.CRM.AddNote(ctx, plugin.Note{CaseID: res.CaseID, Body: log.body(), IdempotencyKey: key + "/log"}); err != nil {
		return res, fmt.Errorf("email: decision log of %s: %w", key, err)
	}
	if _, err := in.Processed.MarkProcessed(ctx, key); err != nil {
		return res, fmt.Errorf("email: mark %s processed: %w", key, err)
	}
	// Last, as it also says "handled": a crash before it repeats the (idempotent) steps.
	if err := in.Threads.Remember(ctx, m.MessageID, res.CaseID, key); err != nil {
		return res, fmt.Errorf("email: thread of %s: %w", key, err)
	}
	in.logger().InfoContext(ctx, "mail handled", "mailbox", mb.Name, "case", res.CaseID,
		"decision", res.Decision, "intent", res.Intent, "reason", res.Reason)
	return res, nil
}

func (in *Intake) logger() *slog.Logger {
	if in.Log == nil {
		return slog.Default()
	}
	return in.Log
}

// decide recognizes the intent of a new case's mail and links or routes it.
func (in *Intake) decide(ctx context.Context, mb MailboxConfig, m *mime.Mail, msg message.Message, res *Result, log *decisionLog) error {
	pred, source := in.recognize(ctx, msg.Text)
	res.Intent = pred.Intent
	log.add("intent %s (confidence %.2f, %s)%s", pred.Intent, pred.Confidence, source, candidateList(pred.Candidates))
	upd := plugin.CaseUpdate{CaseID: res.CaseID, Intent: pred.Intent, Confidence: pred.Confidence, IdempotencyKey: res.Key + "/intent"}
	if len(pred.Candidates) > 0 {
		upd.Fields = map[string]string{"frontdesk_candidates": strings.TrimPrefix(candidateList(pred.Candidates), "; candidates: ")}
	}
	if _, err := in.CRM.UpdateCase(ctx, upd); err != nil {
		return fmt.Errorf("email: update case %s: %w", res.CaseID, err)
	}
	pol, reason := in.supported(pred.Intent)
	if reason == "" {
		reason = noReplyReason(m, mb.Address)
	}
	if reason == "" {
		ok, err := in.RateLimit.Allow(ctx, m.From.Email)
		if err != nil {
			return fmt.Errorf("email: rate limit: %w", err)
		}
		if !ok {
			reason = "auto-reply limit for this sender reached"
		}
	}
	if reason == "" {
		if err := in.link(ctx, mb, m, msg, pol, res); err != nil {
			return err
		}
		log.add("policy %s serves %s: replied with a single-use link to continue in web chat", pol, pred.Intent)
		return nil
	}
	team := in.Routing.TeamFor(pred.Intent)
	res.Decision, res.Reason = Routed, reason
	log.add("routed to %s: %s", team, reason)
	if _, err := in.CRM.AssignCase(ctx, plugin.Assignment{CaseID: res.CaseID, Queue: team, IdempotencyKey: res.Key + "/assign"}); err != nil {
		return fmt.Errorf("email: assign case %s to %s: %w", res.CaseID, team, err)
	}
	return nil
}

// supported returns the policy that serves an intent for email, or why there is none.
func (in *Intake) supported(name string) (policyName, reason string) {
	if name == intent.Unknown {
		return "", "intent not recognized"
	}
	if in.Policies == nil {
		return "", "no policies"
	}
	c, ok := in.Policies.ForIntent(name)
	if !ok {
		return "", "no policy serves intent " + name
	}
	if len(in.LinkIntents) > 0 && !contains(in.LinkIntents, name) {
		return "", "intent " + name + " is not continued from email (email.link_intents)"
	}
	return c.Policy.Name, ""
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func (in *Intake) recognize(ctx context.Context, text string) (intent.Prediction, string) {
	if in.Classifier == nil || text == "" {
		return intent.Prediction{Intent: intent.Unknown}, "no classifier"
	}
	pred, err := in.Classifier.Classify(ctx, text)
	if err != nil {
		in.logger().ErrorContext(ctx, "classification failed", "err", err)
		return intent.Prediction{Intent: intent.Unknown}, "classifier failed: " + err.Error()
	}
	return pred, "classified"
}

// link queues the reply that carries a valet key to continue in web chat.
func (in *Intake) link(ctx context.Context, mb MailboxConfig, m *mime.Mail, msg message.Message, pol string, res *Result) error {
	token, err := in.Valet.Issue(auth.Scope{CaseID: res.CaseID, Intent: res.Intent, Policy: pol,
		ConversationID: "email-" + res.CaseID, Email: m.From.Email})
	if err != nil {
		return fmt.Errorf("email: valet key for %s: %w", res.CaseID, err)
	}
	ttl := in.ValetTTL
	if ttl <= 0 {
		ttl = 24 * time.Hour
	}
	subject, text, html, err := in.Templates.Render(LinkData{
		Name: m.From.Name, Subject: m.Subject, CaseID: res.CaseID, Intent: res.Intent, Policy: pol,
		Link:    strings.TrimRight(in.PublicURL, "/") + "/chat?key=" + url.QueryEscape(token),
		Expires: time.Now().Add(ttl).UTC().Format("2 Jan 2006 15:04 MST"),
	})
	if err != nil {
		return err
	}
	// RFC 3834: a response meant for the author goes to Reply-To when there is one.
	to := m.From
	if m.ReplyTo.Email != "" {
		to = m.ReplyTo
	}
	r := Reply{
		Key: res.Key + "/reply", From: mb.Address, To: to.Email, ToName: to.Name,
		Subject: withCaseToken(subject, res.CaseID), Text: text, HTML: html, Date: time.Now().UTC(),
		MessageID: replyMessageID(res.CaseID, res.Key, domainOf(mb.Address)),
	}
	if m.MessageID != "" {
		r.InReplyTo = m.MessageID
		r.References = append(append([]string{}, m.References...), m.MessageID)
	}
	if err := in.Outbox.Enqueue(ctx, r); err != nil {
		return fmt.Errorf("email: queue reply to %s: %w", res.CaseID, err)
	}
	res.Decision = Linked
	return nil
}

// MailKey is a mail's idempotency key: its mailbox, its Message-ID and a digest of what it
// says. The digest tells apart two mails that reuse one Message-ID (broken mailers do) and
// identifies mails that have none; it leaves out the transport headers, which differ between
// two deliveries of one mail.
func MailKey(mailbox string, m *mime.Mail) string {
	id := m.MessageID
	if len(id) > 200 {
		id = digest(id)[:40]
	}
	content := strings.Join([]string{m.From.Email, m.Date.UTC().Format(time.RFC3339), m.Subject, m.FullText}, "\x00")
	return "email:" + mailbox + ":" + id + ":" + digest(content)[:12]
}

func caseSubject(m *mime.Mail) string {
	s := m.Subject
	if s == "" {
		s = "Email from " + m.From.Email
	}
	if r := []rune(s); len(r) > 200 {
		s = string(r[:200])
	}
	return s
}

// candidateList lists the intents the classifier considered, as "; candidates: a 0.91, b 0.05"
// for the decision log; the CRM field takes the list without the prefix.
func candidateList(cs []message.Candidate) string {
	var b strings.Builder
	for i, c := range cs {
		if i == 0 {
			b.WriteString("; candidates: ")
		} else {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "%s %.2f", c.Intent, c.Confidence)
	}
	return b.String()
}

// maxDescription caps a case's description, in characters: CRMs limit long text fields
// (Salesforce to 32,000), and one that refused the case would leave the mail unhandled.
const maxDescription = 16_000

// shorten cuts a text to at most n characters, marking the cut.
func shorten(s string, n int) string {
	if r := []rune(s); len(r) > n {
		s = string(r[:n]) + "..."
	}
	return s
}

// decisionLog collects the decisions about one mail, written to the case as one note.
type decisionLog struct{ lines []string }

func (l *decisionLog) add(format string, a ...any) {
	l.lines = append(l.lines, fmt.Sprintf(format, a...))
}

func (l *decisionLog) body() string {
	return "frontdesk decision log (email)\n- " + strings.Join(l.lines, "\n- ")
}
