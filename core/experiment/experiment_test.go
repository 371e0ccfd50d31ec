package experiment

import (
	"errors"
	"fmt"
	"math"
	"testing"

	"github.com/frontdeskhq/frontdesk/core/message"
	"github.com/frontdeskhq/frontdesk/core/store"
)

// Golden buckets: a change of the hash would move every running experiment's contacts.
func TestBucketStable(t *testing.T) {
	got := []int{Bucket("wording", "C-1001"), Bucket("wording", "C-1002"), Bucket("other", "C-1001"), Bucket("wording", "")}
	for i := range 50 {
		if b := Bucket("wording", "C-1001"); b != got[0] {
			t.Fatalf("call %d: bucket %d, first %d", i, b, got[0])
		}
	}
	want := []int{27, 38, 45, 41}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("buckets = %v, want %v", got, want)
		}
	}
}

// TestBucketDistribution checks that 100,000 contacts spread evenly: a chi-squared test over
// the 100 buckets at p = 0.001 (critical value 148.2 for 99 degrees of freedom).
func TestBucketDistribution(t *testing.T) {
	const n = 100000
	var counts [Buckets]int
	for i := range n {
		counts[Bucket("wording", fmt.Sprintf("C-%d", i))]++
	}
	expected := float64(n) / Buckets
	chi2 := 0.0
	for _, c := range counts {
		d := float64(c) - expected
		chi2 += d * d / expected
	}
	if chi2 > 148.2 || math.IsNaN(chi2) {
		t.Fatalf("chi-squared %.1f over %d buckets: not uniform (counts %v)", chi2, Buckets, counts)
	}
	// Two experiments split the same contacts independently: about half of the first arm's
	// contacts fall in the other experiment's first half too.
	both := 0
	for i := range n {
		k := fmt.Sprintf("C-%d", i)
		if Bucket("a", k) < 50 && Bucket("b", k) < 50 {
			both++
		}
	}
	if share := float64(both) / n; share < 0.24 || share > 0.26 {
		t.Fatalf("experiments a and b share %.3f of contacts in their first halves, want about 0.25", share)
	}
}

func TestChoose(t *testing.T) {
	e := &store.Experiment{Name: "wording", Arms: []store.ExperimentArm{
		{Version: 3, From: 0, To: 50, Countries: []string{"DE"}, Channels: []string{"webchat"}},
		{Version: 4, From: 50, To: 100},
	}}
	// Find one contact per half.
	var low, high string
	for i := 0; low == "" || high == ""; i++ {
		k := fmt.Sprintf("C-%d", i)
		if Bucket(e.Name, k) < 50 {
			low = k
		} else {
			high = k
		}
	}
	de := map[string]string{"country": "DE"}
	for _, tc := range []struct {
		name    string
		msg     message.Message
		version int
		ok      bool
	}{
		{"low half, DE on webchat", message.Message{Channel: "webchat", Contact: message.Contact{CustomerID: low, Attributes: de}}, 3, true},
		{"low half, FR", message.Message{Channel: "webchat", Contact: message.Contact{CustomerID: low, Attributes: map[string]string{"country": "FR"}}}, 0, false},
		{"low half, DE by email", message.Message{Channel: "email", Contact: message.Contact{CustomerID: low, Attributes: de}}, 0, false},
		{"high half, any", message.Message{Channel: "email", Contact: message.Contact{Email: high}}, 4, true},
		{"no contact key", message.Message{Channel: "webchat"}, 0, false},
	} {
		v, ok := Choose(e, &tc.msg)
		if v != tc.version || ok != tc.ok {
			t.Errorf("%s: Choose = %d, %v; want %d, %v", tc.name, v, ok, tc.version, tc.ok)
		}
	}
}

func TestValidate(t *testing.T) {
	for _, tc := range []struct {
		name string
		arms []store.ExperimentArm
		ok   bool
	}{
		{"halves", []store.ExperimentArm{{Version: 1, From: 0, To: 50}, {Version: 2, From: 50, To: 100}}, true},
		{"same buckets, other countries", []store.ExperimentArm{{Version: 1, From: 0, To: 50, Countries: []string{"DE"}}, {Version: 2, From: 0, To: 50, Countries: []string{"FR"}}}, true},
		{"none", nil, false},
		{"no version", []store.ExperimentArm{{From: 0, To: 10}}, false},
		{"empty range", []store.ExperimentArm{{Version: 1, From: 10, To: 10}}, false},
		{"past the end", []store.ExperimentArm{{Version: 1, From: 90, To: 101}}, false},
		{"overlap", []store.ExperimentArm{{Version: 1, From: 0, To: 60}, {Version: 2, From: 50, To: 100}}, false},
		{"overlap, one open", []store.ExperimentArm{{Version: 1, From: 0, To: 60, Channels: []string{"webchat"}}, {Version: 2, From: 50, To: 100}}, false},
	} {
		err := Validate(tc.arms)
		if (err == nil) != tc.ok || (err != nil && !errors.Is(err, ErrInvalid)) {
			t.Errorf("%s: Validate = %v, want ok=%v", tc.name, err, tc.ok)
		}
	}
}
