// Package notemark makes case notes idempotent in CRMs that have no idempotency key for them
// (Salesforce CaseComment and Task, Zendesk comments): the note's key is written as a last line
// of its body, and before writing a note the connector looks for that line among the case's
// notes.
package notemark

import "strings"

const prefix = "frontdesk-key: "

// Append returns body with the key's marker line, or body as it is when key is empty.
func Append(body, key string) string {
	if key == "" {
		return body
	}
	return body + "\n\n" + prefix + key
}

// Has reports whether body carries the key's marker line.
func Has(body, key string) bool {
	if key == "" {
		return false
	}
	marker := prefix + key
	// The marker must be a whole line: a key that is a prefix of another must not match it.
	for line := range strings.Lines(body) {
		if strings.TrimRight(line, "\r\n") == marker {
			return true
		}
	}
	return false
}
