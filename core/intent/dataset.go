package intent

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
)

// Example is one labelled text of a training or evaluation file.
type Example struct {
	Text  string
	Label string
	// Line is the example's line in its file, for error messages.
	Line int
}

// Dataset is a labelled file read into memory.
type Dataset struct {
	// Name is the file it was read from.
	Name     string
	Examples []Example
	// SHA256 is the hex digest of the file's bytes, recorded in the manifest so a model can be
	// traced to its data.
	SHA256 string
}

// ErrDataset reports a training or evaluation file that cannot be used.
var ErrDataset = errors.New("intent: bad dataset")

// labelColumns are the CSV header names accepted for the label, in order of preference.
var labelColumns = []string{"label", "intent", "category"}

// LoadDataset reads a CSV file with a header (a text column and a label, intent or category
// column) or a JSON lines file of {"text", "intent"} (or "label") objects. The format is
// chosen by extension (.csv, .jsonl, .json), or by content when the extension says nothing.
func LoadDataset(path string) (*Dataset, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return ParseDataset(path, b)
}

// ParseDataset parses the bytes of a dataset file; name is used in errors and to pick the
// format.
func ParseDataset(name string, b []byte) (*Dataset, error) {
	sum := sha256.Sum256(b)
	d := &Dataset{Name: name, SHA256: hex.EncodeToString(sum[:])}
	var err error
	switch ext := strings.ToLower(filepath.Ext(name)); {
	case ext == ".csv":
		d.Examples, err = parseCSV(name, b)
	case ext == ".jsonl" || ext == ".json" || bytes.HasPrefix(bytes.TrimSpace(b), []byte("{")):
		d.Examples, err = parseJSONLines(name, b)
	default:
		d.Examples, err = parseCSV(name, b)
	}
	if err != nil {
		return nil, err
	}
	if len(d.Examples) == 0 {
		return nil, fmt.Errorf("%w: %s: no examples", ErrDataset, name)
	}
	return d, nil
}

func parseCSV(name string, b []byte) ([]Example, error) {
	r := csv.NewReader(bytes.NewReader(b))
	r.FieldsPerRecord = -1
	header, err := r.Read()
	if err != nil {
		return nil, fmt.Errorf("%w: %s:1: reading CSV header: %v", ErrDataset, name, err)
	}
	names := make([]string, len(header))
	for i, h := range header {
		names[i] = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))
	}
	textCol, labelCol := slices.Index(names, "text"), -1
	for _, l := range labelColumns {
		if labelCol = slices.Index(names, l); labelCol >= 0 {
			break
		}
	}
	if textCol < 0 || labelCol < 0 {
		return nil, fmt.Errorf("%w: %s:1: CSV header %q needs a \"text\" column and a \"label\", \"intent\" or \"category\" column", ErrDataset, name, strings.Join(header, ","))
	}
	var out []Example
	for {
		rec, err := r.Read()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			// A csv.ParseError names the line itself.
			return nil, fmt.Errorf("%w: %s: %v", ErrDataset, name, err)
		}
		line, _ := r.FieldPos(0)
		if len(rec) != len(header) {
			return nil, fmt.Errorf("%w: %s:%d: %d fields, the header has %d (quote a text that holds commas)", ErrDataset, name, line, len(rec), len(header))
		}
		ex, err := newExample(rec[textCol], rec[labelCol], name, line)
		if err != nil {
			return nil, err
		}
		out = append(out, ex)
	}
}

func parseJSONLines(name string, b []byte) ([]Example, error) {
	var out []Example
	sc := bufio.NewScanner(bytes.NewReader(b))
	sc.Buffer(make([]byte, 64*1024), 16<<20)
	for line := 1; sc.Scan(); line++ {
		raw := bytes.TrimSpace(sc.Bytes())
		if len(raw) == 0 {
			continue
		}
		var rec struct {
			Text   *string `json:"text"`
			Intent string  `json:"intent"`
			Label  string  `json:"label"`
		}
		if err := json.Unmarshal(raw, &rec); err != nil {
			return nil, fmt.Errorf("%w: %s:%d: %v", ErrDataset, name, line, err)
		}
		if rec.Text == nil {
			return nil, fmt.Errorf("%w: %s:%d: no \"text\" field", ErrDataset, name, line)
		}
		label := rec.Intent
		if label == "" {
			label = rec.Label
		}
		ex, err := newExample(*rec.Text, label, name, line)
		if err != nil {
			return nil, err
		}
		out = append(out, ex)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%w: %s: %v", ErrDataset, name, err)
	}
	return out, nil
}

func newExample(text, label, name string, line int) (Example, error) {
	label = strings.TrimSpace(label)
	switch {
	case label == "":
		return Example{}, fmt.Errorf("%w: %s:%d: empty label", ErrDataset, name, line)
	case label == Unknown:
		return Example{}, fmt.Errorf("%w: %s:%d: label %q is reserved for rejected texts; mark out-of-scope examples with the --oos-label", ErrDataset, name, line, Unknown)
	case strings.TrimSpace(text) == "":
		return Example{}, fmt.Errorf("%w: %s:%d: empty text", ErrDataset, name, line)
	}
	return Example{Text: text, Label: label, Line: line}, nil
}

// Labels returns the distinct labels, sorted.
func (d *Dataset) Labels() []string {
	seen := map[string]bool{}
	var out []string
	for _, e := range d.Examples {
		if !seen[e.Label] {
			seen[e.Label] = true
			out = append(out, e.Label)
		}
	}
	sort.Strings(out)
	return out
}

// Split divides examples into two parts stratified by label: about frac of each label's
// examples (at least one, and never all of them) go to the second part. The same seed gives
// the same split. A label with one example cannot be split and is an error.
func Split(examples []Example, frac float64, seed uint64) (first, second []Example, err error) {
	byLabel := map[string][]int{}
	var labels []string
	for i, e := range examples {
		if _, ok := byLabel[e.Label]; !ok {
			labels = append(labels, e.Label)
		}
		byLabel[e.Label] = append(byLabel[e.Label], i)
	}
	sort.Strings(labels)
	rng := rand.New(rand.NewPCG(seed, 0x5eed))
	for _, l := range labels {
		idx := byLabel[l]
		if len(idx) < 2 {
			return nil, nil, fmt.Errorf("%w: label %q has one example (line %d); every label needs at least 2, one to learn from and one to validate on", ErrDataset, l, examples[idx[0]].Line)
		}
		rng.Shuffle(len(idx), func(i, j int) { idx[i], idx[j] = idx[j], idx[i] })
		n := min(max(int(float64(len(idx))*frac+0.5), 1), len(idx)-1)
		for _, i := range idx[:n] {
			second = append(second, examples[i])
		}
		for _, i := range idx[n:] {
			first = append(first, examples[i])
		}
	}
	return first, second, nil
}
