package intent

import (
	"math"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

func newTestFeaturizer(t testing.TB) *Featurizer {
	t.Helper()
	fz, err := NewFeaturizer(DefaultFeaturizerConfig())
	if err != nil {
		t.Fatal(err)
	}
	return fz
}

func TestNormalize(t *testing.T) {
	fz := newTestFeaturizer(t)
	for _, tc := range []struct{ in, want string }{
		{"Lost My CARD", "lost my card"},
		{"ＣＡＲＤ", "card"},                 // full-width, NFKC
		{"Straße", "strasse"},            // case folding, not just lowering
		{"ﬁnd", "find"},                  // ligature, NFKC
		{"bad \xff utf8", "bad   utf8"},  // invalid byte replaced by a space
		{"Κάρτα 卡 card", "κάρτα 卡 card"}, // mixed scripts kept
	} {
		if got := fz.Normalize(tc.in); got != tc.want {
			t.Errorf("Normalize(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestFeaturize(t *testing.T) {
	fz := newTestFeaturizer(t)
	a := fz.Featurize("Lost my card!", nil)
	b := fz.Featurize("lost   MY card", nil)
	if !slices.Equal(a.Index, b.Index) {
		t.Errorf("case and punctuation changed the features: %v vs %v", a.Index, b.Index)
	}
	// 3 words, 2 bigrams, char 2..5-grams of "<lost>" (5+4+3+2), "<my>" (3+2; the whole
	// "<my>" is the word feature already), "<card>" (5+4+3+2).
	if want := 3 + 2 + 14 + 5 + 14; a.Len() != want {
		t.Errorf("%d features, want %d", a.Len(), want)
	}
	var sum float64
	for _, w := range a.Weight {
		sum += float64(w)
	}
	if math.Abs(sum-1) > 1e-5 {
		t.Errorf("weights sum to %g, want 1", sum)
	}
	for _, empty := range []string{"", "   \t\n", "?!...", "\xff\xfe"} {
		if f := fz.Featurize(empty, nil); f.Len() != 0 {
			t.Errorf("Featurize(%q): %d features, want none", empty, f.Len())
		}
	}
	c := fz.Featurize("lost my card", nil)
	other, _ := NewFeaturizer(FeaturizerConfig{Buckets: 1 << 17, Seed: 7, WordNgrams: 2, CharMin: 2, CharMax: 5, MaxBytes: 2048})
	if d := other.Featurize("lost my card", nil); slices.Equal(c.Index, d.Index) {
		t.Error("a different seed hashed to the same buckets")
	}
}

func TestFeaturizeLongText(t *testing.T) {
	fz := newTestFeaturizer(t)
	long := strings.Repeat("my card was stolen ", 60000) // about 1 MB
	f := fz.Featurize(long, nil)
	prefix := fz.Featurize(long[:fz.Config().MaxBytes], nil)
	if f.Len() != prefix.Len() {
		t.Errorf("1 MB text: %d features, want those of its first %d bytes (%d)", f.Len(), fz.Config().MaxBytes, prefix.Len())
	}
	word := fz.Featurize(strings.Repeat("a", 1<<20), nil)
	if word.Len() == 0 || word.Len() > 1000 {
		t.Errorf("one 1 MB word: %d features", word.Len())
	}
}

func TestFeaturizerConfigValidate(t *testing.T) {
	for _, c := range []FeaturizerConfig{
		{Buckets: 0, WordNgrams: 1, MaxBytes: 100},
		{Buckets: 1024, WordNgrams: 0, MaxBytes: 100},
		{Buckets: 1024, WordNgrams: 1, CharMin: 3, CharMax: 2, MaxBytes: 100},
		{Buckets: 1024, WordNgrams: 1, CharMin: 0, CharMax: 4, MaxBytes: 100},
		{Buckets: 1024, WordNgrams: 1, MaxBytes: 1},
	} {
		if _, err := NewFeaturizer(c); err == nil {
			t.Errorf("NewFeaturizer(%+v) accepted", c)
		}
	}
}

func FuzzFeaturize(f *testing.F) {
	for _, s := range []string{"", " ", "I lost my card", "Straße ＣＡＲＤ ﬁ", "\xff\xfe\xfd", "a'b c-d", "卡丢了", "🙂🙂 card", strings.Repeat("é", 3000), "x\u0301\u0301\u0301"} {
		f.Add(s)
	}
	fz := newTestFeaturizer(f)
	f.Fuzz(func(t *testing.T, s string) {
		feats := fz.Featurize(s, nil)
		if len(feats.Index) != len(feats.Weight) {
			t.Fatalf("%d indices, %d weights", len(feats.Index), len(feats.Weight))
		}
		var sum float64
		for i, idx := range feats.Index {
			if idx < 0 || int(idx) >= fz.Config().Buckets {
				t.Fatalf("index %d out of range", idx)
			}
			sum += float64(feats.Weight[i])
		}
		if feats.Len() > 0 && math.Abs(sum-1) > 1e-3 {
			t.Fatalf("weights sum to %g", sum)
		}
		if n := fz.Normalize(s); !utf8.ValidString(n) || len(n) > 4*fz.Config().MaxBytes {
			t.Fatalf("Normalize returned invalid or oversized text (%d bytes)", len(n))
		}
		again := fz.Featurize(s, nil)
		if !slices.Equal(feats.Index, again.Index) {
			t.Fatal("featurization is not deterministic")
		}
	})
}
