package email_test

import (
	"context"
	"maps"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/frontdeskhq/frontdesk/channels/email"
	"github.com/frontdeskhq/frontdesk/channels/email/mime"
	"github.com/frontdeskhq/frontdesk/sdk/plugin"
)

// TestFlow is the "done when" over TCP: a lost card is routed to the cards team with
// its intent on the case; a change of address gets a reply with a working link; the reply to
// that reply joins the same case; a bounce is recorded and never answered.
func TestFlow(t *testing.T) {
	r := newRig(t, rigOptions{processed: "Processed"})
	reg := prometheus.NewRegistry()
	r.intake.Metrics = email.NewMetrics(reg)
	r.outbox.Metrics = r.intake.Metrics
	r.run(r.poller(r.handle))
	r.receive(mailText("Alice <alice@example.com>", "Help", "lost-1@example.com", "Hi, I lost my card in the bus yesterday.\n\nBest regards,\nAlice"))
	r.receive(mailText("Bob <bob@example.com>", "New home", "move-1@example.com", "We moved, please change the address on my account."))
	eventually(t, "two cases", 10*time.Second, func() bool { return len(r.cases()) == 2 })
	eventually(t, "the link reply", 10*time.Second, func() bool { return len(r.sentTo("bob@example.com")) == 1 })

	byIntent := map[string]string{}
	for _, c := range r.cases() {
		byIntent[c.Intent] = c.ID
		switch c.Intent {
		case "card_lost_stolen":
			if c.Queue != "cards" || c.Confidence <= 0 {
				t.Errorf("lost card case: queue %q confidence %v, want cards", c.Queue, c.Confidence)
			}
		case "change_address":
			if c.Queue != "" {
				t.Errorf("change-address case assigned to %q, want no queue (the customer continues in chat)", c.Queue)
			}
		default:
			t.Errorf("case %s has intent %q", c.ID, c.Intent)
		}
	}
	notes := strings.Join(r.notes(byIntent["card_lost_stolen"]), "\n")
	if !strings.Contains(notes, "routed to cards") || !strings.Contains(notes, "intent card_lost_stolen") {
		t.Errorf("decision log of the lost card:\n%s", notes)
	}

	reply, err := mime.Parse(r.sentTo("bob@example.com")[0], mime.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	caseID := byIntent["change_address"]
	if !strings.Contains(reply.Subject, "[#"+caseID+"]") || reply.AutoSubmitted != "auto-replied" ||
		len(reply.InReplyTo) != 1 || reply.InReplyTo[0] != "move-1@example.com" {
		t.Errorf("reply: subject %q auto-submitted %q in-reply-to %v", reply.Subject, reply.AutoSubmitted, reply.InReplyTo)
	}
	link := regexp.MustCompile(`http://frontdesk\.test/chat\?key=\S+`).FindString(reply.FullText)
	u, err := url.Parse(link)
	if err != nil || link == "" {
		t.Fatalf("no link in the reply:\n%s", reply.FullText)
	}
	grant, err := r.valet.Redeem(context.Background(), u.Query().Get("key"))
	if err != nil {
		t.Fatalf("the link does not work: %v", err)
	}
	if grant.CaseID != caseID || grant.Intent != "change_address" || grant.Policy != "change-address" || grant.Email != "bob@example.com" {
		t.Errorf("grant %+v", grant)
	}
	if _, err := r.valet.Redeem(context.Background(), u.Query().Get("key")); err == nil {
		t.Error("the link worked twice")
	}

	// Bob answers the reply: no new case, his words on the old one, no second reply.
	r.receive(mailText("Bob <bob@example.com>", "Re: "+reply.Subject, "move-2@example.com",
		"Also my phone number changed.\n\nOn Sat, Frontdesk wrote:\n> old text",
		"In-Reply-To: <"+reply.MessageID+">", "References: <move-1@example.com> <"+reply.MessageID+">"))
	// A bounce of a reply to a third customer: recorded on that case, never answered.
	r.receive(mailText("Dora <dora@example.com>", "my address changed", "dora-1@example.com", "Please update my address."))
	eventually(t, "the reply to Dora", 10*time.Second, func() bool { return len(r.sentTo("dora@example.com")) == 1 })
	doraReply, _ := mime.Parse(r.sentTo("dora@example.com")[0], mime.Limits{})
	r.receive("Return-Path: <>\nFrom: MAILER-DAEMON@mx.example.com\nTo: " + support + "\nSubject: Undelivered\nMessage-ID: <b-1@mx>\n" +
		"Content-Type: multipart/report; report-type=delivery-status; boundary=B\n\n--B\nContent-Type: text/plain\n\nUser unknown\n--B\n" +
		"Content-Type: text/rfc822-headers\n\nMessage-ID: <" + doraReply.MessageID + ">\nSubject: x\n\n--B--\n")
	eventually(t, "the follow-ups on their cases", 10*time.Second, func() bool {
		return strings.Contains(strings.Join(r.notes(caseID), "\n"), "my phone number changed") &&
			len(r.notes(caseIDOf(r.cases(), "dora@example.com"))) >= 2
	})
	if n := len(r.cases()); n != 3 {
		t.Errorf("%d cases, want 3 (the follow-ups join their cases)", n)
	}
	time.Sleep(200 * time.Millisecond)
	if n := len(r.sentTo("bob@example.com")); n != 1 {
		t.Errorf("bob got %d replies, want 1", n)
	}
	if n := len(r.sentTo("mailer-daemon@mx.example.com")); n != 0 {
		t.Errorf("the bounce was answered %d times", n)
	}
	if n := len(r.sentTo("MAILER-DAEMON@mx.example.com")); n != 0 {
		t.Errorf("the bounce was answered %d times", n)
	}
	want := map[string]float64{"linked": 2, "routed": 1, "threaded": 2, "sent": 2}
	if got := counts(t, reg); !maps.Equal(got, want) {
		t.Errorf("metrics %v, want %v", got, want)
	}
}

// counts reads the email counters by outcome or result.
func counts(t *testing.T, reg *prometheus.Registry) map[string]float64 {
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]float64{}
	for _, mf := range mfs {
		for _, m := range mf.GetMetric() {
			for _, l := range m.GetLabel() {
				if l.GetName() == "outcome" || l.GetName() == "result" {
					out[l.GetValue()] += m.GetCounter().GetValue()
				}
			}
		}
	}
	return out
}

func caseIDOf(cs []plugin.Case, _ string) string {
	for _, c := range cs {
		if strings.Contains(c.Subject, "my address changed") {
			return c.ID
		}
	}
	return ""
}

// TestReplyGoesToReplyTo: the link reply goes where the author asked answers to go.
func TestReplyGoesToReplyTo(t *testing.T) {
	r := newRig(t, rigOptions{})
	r.run(r.poller(r.handle))
	r.receive(mailText("Eve <eve@work.example.com>", "moving", "rt-1@x", "We moved, change my address please.", "Reply-To: Eve <eve@home.example.com>"))
	eventually(t, "the reply", 10*time.Second, func() bool { return len(r.sentTo("eve@home.example.com")) == 1 })
	if n := len(r.sentTo("eve@work.example.com")); n != 0 {
		t.Errorf("%d replies to From, want them at Reply-To", n)
	}
}
