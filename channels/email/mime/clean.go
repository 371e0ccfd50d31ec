package mime

import (
	"regexp"
	"strings"
)

// Lines that start the quoted history of a reply, as the common mail clients write them. The
// text from such a line on is history, not the customer's new words.
var historyStart = []*regexp.Regexp{
	regexp.MustCompile(`(?i)^on .{1,200} wrote:?$`),                         // Gmail, Apple Mail, Thunderbird
	regexp.MustCompile(`(?i)^am .{1,200} schrieb .{0,200}:?$`),              // German clients
	regexp.MustCompile(`(?i)^le .{1,200} a écrit ?:?$`),                     // French clients
	regexp.MustCompile(`(?i)^-{2,}\s*(original message|forwarded message)`), // Outlook, Gmail forwards
	regexp.MustCompile(`(?i)^_{10,}$`),                                      // Outlook's rule
	regexp.MustCompile(`(?i)^from: .+$`),                                    // Outlook's header block
	regexp.MustCompile(`(?i)^sent from my (iphone|ipad|android|mobile)`),    // mobile footers
}

// signatureStart marks a signature: the RFC 3676 delimiter "-- " and common closings on a
// line of their own.
var signatureStart = regexp.MustCompile(`(?i)^(--\s?|best regards,?|kind regards,?|regards,?|thanks,?|thank you,?|cheers,?|sincerely,?|mit freundlichen grüßen,?)$`)

// StripQuotes returns the new words of a mail: it drops lines quoted with ">", everything from
// a reply header ("On ... wrote:") or a forwarded-message rule on, and the signature. If that
// would leave nothing, the text is returned as it was, so that a mail is never emptied.
func StripQuotes(text string) string {
	lines := strings.Split(text, "\n")
	var kept []string
	for _, l := range lines {
		t := strings.TrimSpace(l)
		if strings.HasPrefix(t, ">") {
			continue
		}
		if startsHistory(t) {
			break
		}
		kept = append(kept, l)
	}
	// The signature is the last delimiter in what is left, so a "Thanks," in the middle of
	// a paragraph is not taken for one.
	for i := len(kept) - 1; i >= 0; i-- {
		if signatureStart.MatchString(strings.TrimSpace(kept[i])) && i > 0 {
			kept = kept[:i]
			break
		}
	}
	out := strings.TrimSpace(strings.Join(kept, "\n"))
	if out == "" {
		return strings.TrimSpace(text)
	}
	return out
}

func startsHistory(line string) bool {
	for _, re := range historyStart {
		if re.MatchString(line) {
			return true
		}
	}
	return false
}
