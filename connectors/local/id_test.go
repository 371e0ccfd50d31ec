package local

import (
	"errors"
	"testing"

	"github.com/frontdeskhq/frontdesk/sdk/plugin"
)

// FuzzParseID: ids come from policies and people; any string either names a sequence number
// that formats back to an id naming the same number, or is ErrNotFound.
func FuzzParseID(f *testing.F) {
	for _, s := range []string{"CASE-000001", "CASE-1", "CASE-0", "CASE--1", "CASE-", "case-1", "CR-12", "CASE-99999999999999999999", "CASE-+5"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, id string) {
		n, err := parseID(casePrefix, "case", id)
		if err != nil {
			if !errors.Is(err, plugin.ErrNotFound) {
				t.Fatalf("parseID(%q) error = %v, want ErrNotFound", id, err)
			}
			return
		}
		if n <= 0 {
			t.Fatalf("parseID(%q) = %d", id, n)
		}
		if back, err := parseID(casePrefix, "case", formatID(casePrefix, n)); err != nil || back != n {
			t.Fatalf("round trip of %d = %d, %v", n, back, err)
		}
	})
}
