package intent

import (
	"errors"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/cases"
	"golang.org/x/text/unicode/norm"
)

// FeaturizerConfig holds every parameter of text featurization. It is saved in the bundle's
// manifest, and serving builds its Featurizer from the saved copy, so training and serving
// cannot disagree.
type FeaturizerConfig struct {
	// Buckets is the number of hash buckets, the row count of the model's embedding table.
	Buckets int `json:"buckets"`
	// Seed perturbs the hash, so ensemble members or retrained models can spread collisions
	// differently. 32 bits, so that every JSON reader keeps it exact.
	Seed uint32 `json:"seed"`
	// WordNgrams is the longest word n-gram hashed (1 = words only, 2 = words and bigrams).
	WordNgrams int `json:"word_ngrams"`
	// CharMin and CharMax bound the character n-grams taken inside each word padded with
	// boundary marks ("<word>"), so "<ca" and "rd>" tell prefixes and suffixes apart.
	CharMin int `json:"char_min"`
	CharMax int `json:"char_max"`
	// MaxBytes is the longest text featurized; longer texts are cut at a rune boundary. The
	// intent of a support message is stated early, and the cap bounds the cost of a call.
	MaxBytes int `json:"max_bytes"`
}

// DefaultFeaturizerConfig returns the parameters the trainer uses unless told otherwise.
// 98,304 buckets (3 x 2^15) is the most that keeps the default model's half-precision table
// (120 dims) under 25 MB; fewer buckets measurably cost accuracy through collisions.
func DefaultFeaturizerConfig() FeaturizerConfig {
	return FeaturizerConfig{
		Buckets:    98304,
		Seed:       0x9e3779b9,
		WordNgrams: 2,
		CharMin:    2,
		CharMax:    5,
		MaxBytes:   2048,
	}
}

// ErrFeaturizerConfig reports featurizer parameters that cannot work, such as a manifest
// edited by hand.
var ErrFeaturizerConfig = errors.New("intent: invalid featurizer config")

// Validate reports whether the parameters are usable.
func (c FeaturizerConfig) Validate() error {
	switch {
	case c.Buckets < 16 || c.Buckets > 1<<24:
		return fmt.Errorf("%w: buckets %d not in [16, 2^24]", ErrFeaturizerConfig, c.Buckets)
	case c.WordNgrams < 1 || c.WordNgrams > 3:
		return fmt.Errorf("%w: word_ngrams %d not in [1, 3]", ErrFeaturizerConfig, c.WordNgrams)
	case c.CharMin < 0 || c.CharMax > 8 || c.CharMin > c.CharMax || (c.CharMin == 0) != (c.CharMax == 0):
		return fmt.Errorf("%w: char n-gram range [%d, %d] not within [1, 8] (0, 0 turns them off)", ErrFeaturizerConfig, c.CharMin, c.CharMax)
	case c.MaxBytes < 16:
		return fmt.Errorf("%w: max_bytes %d below 16", ErrFeaturizerConfig, c.MaxBytes)
	}
	return nil
}

// Features is a bag of hashed features: bucket indices with their weights. The weights sum
// to one, so the model sees the mean of its embedding rows whatever the text's length.
type Features struct {
	Index  []int32
	Weight []float32
}

// Len returns the number of features.
func (f *Features) Len() int { return len(f.Index) }

// Featurizer turns text into hashed features. It is safe for concurrent use.
type Featurizer struct {
	cfg FeaturizerConfig
}

// NewFeaturizer returns a featurizer for cfg, or an error if cfg is invalid.
func NewFeaturizer(cfg FeaturizerConfig) (*Featurizer, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	return &Featurizer{cfg: cfg}, nil
}

// Config returns the featurizer's parameters.
func (f *Featurizer) Config() FeaturizerConfig { return f.cfg }

// Normalize returns the text the features are taken from: cut to MaxBytes, invalid UTF-8
// replaced by spaces, NFKC-normalized, case-folded. ASCII text, the common case, takes a
// path that allocates once.
func (f *Featurizer) Normalize(text string) string {
	text = truncate(text, f.cfg.MaxBytes)
	if isASCII(text) {
		return asciiLower(text)
	}
	text = strings.ToValidUTF8(text, " ")
	return cases.Fold().String(norm.NFKC.String(text))
}

// Featurize appends the features of text to dst (after resetting it) and returns dst. A text
// with no letters or digits has no features.
func (f *Featurizer) Featurize(text string, dst *Features) *Features {
	if dst == nil {
		dst = &Features{}
	}
	dst.Index, dst.Weight = dst.Index[:0], dst.Weight[:0]
	norm := f.Normalize(text)
	var toks [maxTokens][2]int
	n := tokenize(norm, toks[:])
	h := hasher{seed: uint64(f.cfg.Seed) * 0x9e3779b97f4a7c15, buckets: uint64(f.cfg.Buckets)}
	var pad [maxTokenBytes + 2]byte
	for i := 0; i < n; i++ {
		tok := norm[toks[i][0]:toks[i][1]]
		x := h.add(h.start('w'), tok)
		dst.Index = append(dst.Index, h.fold(x))
		for k := 2; k <= f.cfg.WordNgrams && i+k <= n; k++ {
			// An n-gram extends the hash of the shorter one, so "a b" and "a, b" agree.
			x = h.add((x^' ')*fnvPrime, norm[toks[i+k-1][0]:toks[i+k-1][1]])
			dst.Index = append(dst.Index, h.fold(x^uint64(k)))
		}
		if f.cfg.CharMax > 0 {
			dst.Index = f.appendCharNgrams(dst.Index, &h, pad[:], tok)
		}
	}
	if len(dst.Index) == 0 {
		return dst
	}
	w := 1 / float32(len(dst.Index))
	for range dst.Index {
		dst.Weight = append(dst.Weight, w)
	}
	return dst
}

// appendCharNgrams hashes the character n-grams of "<tok>".
func (f *Featurizer) appendCharNgrams(idx []int32, h *hasher, pad []byte, tok string) []int32 {
	if len(tok) > maxTokenBytes {
		tok = truncate(tok, maxTokenBytes)
	}
	pad[0] = '<'
	copy(pad[1:], tok)
	pad[len(tok)+1] = '>'
	word := pad[:len(tok)+2]
	// starts holds the byte offset of each rune, and one past the end.
	var starts [maxTokenBytes + 3]int
	r := 0
	for i := 0; i < len(word); {
		starts[r] = i
		r++
		if word[i] < utf8.RuneSelf {
			i++
		} else {
			_, size := utf8.DecodeRune(word[i:])
			i += size
		}
	}
	starts[r] = len(word)
	// FNV is sequential, so the hash of each n-gram starting at s extends the one before it:
	// one pass per start rather than one per n-gram.
	for s := 0; s < r; s++ {
		x := h.start('c')
		for n := 1; n <= f.cfg.CharMax && s+n <= r; n++ {
			x = h.addBytes(x, word[starts[s+n-1]:starts[s+n]])
			// The whole padded word is hashed as a word already; skip the n-gram equal to it.
			if n >= f.cfg.CharMin && n < r {
				idx = append(idx, h.fold(x))
			}
		}
	}
	return idx
}

const (
	// maxTokens caps the tokens featurized; MaxBytes already bounds them, this bounds the
	// stack buffer.
	maxTokens = 512
	// maxTokenBytes caps a token for character n-grams (a 1 MB "word" costs nothing more).
	maxTokenBytes = 64
)

// tokenize finds the words of s (runs of letters, digits and combining marks; everything else,
// apostrophes included, separates) and writes their byte ranges to dst.
func tokenize(s string, dst [][2]int) int {
	n, start := 0, -1
	for i, r := range s {
		word := r < utf8.RuneSelf && (r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r >= 'A' && r <= 'Z') ||
			r >= utf8.RuneSelf && (unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r))
		switch {
		case word && start < 0:
			start = i
		case !word && start >= 0:
			if n == len(dst) {
				return n
			}
			dst[n] = [2]int{start, i}
			n++
			start = -1
		}
	}
	if start >= 0 && n < len(dst) {
		dst[n] = [2]int{start, len(s)}
		n++
	}
	return n
}

// hasher is seeded FNV-1a, 64 bits, folded into buckets.
type hasher struct {
	seed, buckets uint64
}

const fnvPrime = 1099511628211

// start begins the hash of a feature of the kind tag ('w' word, 'c' character n-gram).
func (h *hasher) start(tag byte) uint64 {
	return ((h.seed^14695981039346656037)*fnvPrime ^ uint64(tag)) * fnvPrime
}

func (h *hasher) add(x uint64, s string) uint64 {
	for i := 0; i < len(s); i++ {
		x = (x ^ uint64(s[i])) * fnvPrime
	}
	return x
}

func (h *hasher) addBytes(x uint64, b []byte) uint64 {
	for _, c := range b {
		x = (x ^ uint64(c)) * fnvPrime
	}
	return x
}

// fold mixes the high bits in (FNV's low bits are weak) and reduces to a bucket.
func (h *hasher) fold(x uint64) int32 {
	x ^= x >> 29
	x *= 0xbf58476d1ce4e5b9
	x ^= x >> 32
	return int32(x % h.buckets)
}

// truncate cuts s to at most n bytes without splitting a rune.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

func asciiLower(s string) string {
	b := make([]byte, len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		b[i] = c
	}
	return string(b)
}
