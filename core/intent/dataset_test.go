package intent

import (
	"errors"
	"strings"
	"testing"
)

func TestParseDataset(t *testing.T) {
	for _, tc := range []struct {
		name, data string
		want       int
		wantErr    string
	}{
		{"a.csv", "text,intent\nhello,greet\n\"lost, my card\",lost\n", 2, ""},
		{"a.csv", "\ufeffText,Category\nhello,greet\n", 1, ""},
		{"a.csv", "text,label,intent\nhello,L,I\n", 1, ""},
		{"a.csv", "message,intent\nhello,greet\n", 0, "a.csv:1: CSV header"},
		{"a.csv", "text,intent\nhello\n", 0, "a.csv:2: 1 fields"},
		{"a.csv", "text,intent\nhello, world,greet\n", 0, "a.csv:2: 3 fields, the header has 2 (quote"},
		{"a.csv", "text,intent\n,greet\n", 0, "a.csv:2: empty text"},
		{"a.csv", "text,intent\nhi,\n", 0, "a.csv:2: empty label"},
		{"a.csv", "text,intent\nhi,unknown\n", 0, "reserved"},
		{"a.csv", "text,intent\n", 0, "no examples"},
		{"a.csv", "text,intent\n\"unterminated,x\n", 0, "a.csv"},
		{"a.jsonl", `{"text":"hi","intent":"greet"}` + "\n\n" + `{"text":"yo","label":"greet"}`, 2, ""},
		{"a.jsonl", `{"text":"hi","intent":"greet"}` + "\n{bad\n", 0, "a.jsonl:2:"},
		{"a.jsonl", `{"intent":"greet"}`, 0, `a.jsonl:1: no "text" field`},
		{"data", `{"text":"hi","intent":"greet"}`, 1, ""},
	} {
		ds, err := ParseDataset(tc.name, []byte(tc.data))
		if tc.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) || !errors.Is(err, ErrDataset) {
				t.Errorf("%s %q: error %v, want one containing %q", tc.name, tc.data, err, tc.wantErr)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s %q: %v", tc.name, tc.data, err)
			continue
		}
		if len(ds.Examples) != tc.want {
			t.Errorf("%s %q: %d examples, want %d", tc.name, tc.data, len(ds.Examples), tc.want)
		}
	}
}

func TestSplit(t *testing.T) {
	var ex []Example
	for i := range 100 {
		ex = append(ex, Example{Text: strings.Repeat("x", i+1), Label: []string{"a", "b", "c", "d"}[i%4], Line: i + 2})
	}
	ex = append(ex, Example{Text: "rare1", Label: "rare", Line: 200}, Example{Text: "rare2", Label: "rare", Line: 201})
	train, val, err := Split(ex, 0.2, 1)
	if err != nil {
		t.Fatal(err)
	}
	if len(train)+len(val) != len(ex) {
		t.Fatalf("split lost examples: %d + %d != %d", len(train), len(val), len(ex))
	}
	count := map[string]int{}
	for _, e := range val {
		count[e.Label]++
	}
	for _, l := range []string{"a", "b", "c", "d"} {
		if count[l] != 5 {
			t.Errorf("label %s: %d validation examples, want 5 (stratified)", l, count[l])
		}
	}
	if count["rare"] != 1 {
		t.Errorf("rare label: %d validation examples, want 1", count["rare"])
	}
	_, val2, _ := Split(ex, 0.2, 1)
	for i := range val {
		if val[i] != val2[i] {
			t.Fatal("same seed, different split")
		}
	}
	_, val3, _ := Split(ex, 0.2, 2)
	same := true
	for i := range val {
		same = same && val[i] == val3[i]
	}
	if same {
		t.Error("different seed, same split")
	}
	_, _, err = Split(append(ex, Example{Text: "once", Label: "single", Line: 300}), 0.2, 1)
	if err == nil || !strings.Contains(err.Error(), `label "single" has one example (line 300)`) {
		t.Errorf("label with one example: %v", err)
	}
}

func FuzzParseDataset(f *testing.F) {
	f.Add("a.csv", "text,intent\nhello,greet\n")
	f.Add("a.jsonl", `{"text":"hi","intent":"greet"}`)
	f.Add("a.csv", "text,intent\n\"a\"\"b\",x\n")
	f.Add("x", "{")
	f.Fuzz(func(t *testing.T, name, data string) {
		ds, err := ParseDataset(name, []byte(data))
		if err != nil {
			if !errors.Is(err, ErrDataset) {
				t.Fatalf("error %v is not ErrDataset", err)
			}
			return
		}
		for _, e := range ds.Examples {
			if strings.TrimSpace(e.Text) == "" || e.Label == "" {
				t.Fatalf("accepted an empty example %+v", e)
			}
		}
	})
}
