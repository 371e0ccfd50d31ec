package store

import (
	"strconv"
	"strings"
	"testing"
)

func TestDollarPlaceholders(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"SELECT 1", "SELECT 1"},
		{"a = ? AND b = ?", "a = $1 AND b = $2"},
		{"x = '?' AND y = ?", "x = '?' AND y = $1"},
		{"VALUES (?, ?), (?, ?)", "VALUES ($1, $2), ($3, $4)"},
	} {
		if got := dollarPlaceholders(c.in); got != c.want {
			t.Errorf("dollarPlaceholders(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

// FuzzDollarPlaceholders checks that every unquoted ? becomes the next $n and that nothing
// else changes.
func FuzzDollarPlaceholders(f *testing.F) {
	for _, seed := range []string{"", "?", "a = ? AND b = '?'", "''?'?'", "é ? ü", "(?, ?), (?, ?)"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, q string) {
		if !strings.ContainsRune(q, '$') && strings.ToValidUTF8(q, "") == q {
			out := dollarPlaceholders(q)
			n, quoted := 0, false
			for _, r := range q {
				if r == '\'' {
					quoted = !quoted
				}
				if r == '?' && !quoted {
					n++
				}
			}
			for i := n; i >= 1; i-- { // from the highest, so $1 does not eat the 1 of $10
				out = strings.Replace(out, "$"+strconv.Itoa(i), "?", 1)
			}
			if out != q {
				t.Fatalf("dollarPlaceholders(%q) rewrote more than its %d placeholders", q, n)
			}
		}
	})
}
