package policy

import (
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/parser"
	"github.com/goccy/go-yaml/token"
)

// MaxFileSize is the largest policy file the loader reads.
const MaxFileSize = 1 << 20

// Source is a policy file as read, kept so that errors found after decoding (a typo in an
// expression, a missing target) can point at a line and column.
type Source struct {
	Path string
	Data []byte
	file *ast.File
}

// ReadFile reads and decodes a policy file (YAML, or JSON which is the same schema).
func ReadFile(path string) (*Policy, *Source, error) {
	info, err := os.Stat(path)
	if err != nil {
		return nil, nil, err
	}
	if info.Size() > MaxFileSize {
		return nil, nil, fmt.Errorf("%s: policy file is %d bytes, more than the limit of %d", path, info.Size(), MaxFileSize)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, nil, err
	}
	return Parse(path, data)
}

// Parse decodes a policy strictly: unknown fields, duplicate keys and wrong types are errors
// with the file, line and column.
func Parse(path string, data []byte) (*Policy, *Source, error) {
	src := &Source{Path: path, Data: data}
	if len(data) > MaxFileSize {
		return nil, nil, &Error{File: path, Msg: fmt.Sprintf("policy is %d bytes, more than the limit of %d", len(data), MaxFileSize)}
	}
	if strings.TrimSpace(string(data)) == "" {
		return nil, nil, &Error{File: path, Line: 1, Column: 1, Msg: "empty policy"}
	}
	var p Policy
	if err := yaml.UnmarshalWithOptions(data, &p, yaml.Strict(), yaml.DisallowUnknownField()); err != nil {
		return nil, nil, yamlError(path, err)
	}
	return &p, src, nil
}

// yamlError turns a decoder error into an Error with a position.
func yamlError(path string, err error) error {
	var te interface {
		GetToken() *token.Token
		GetMessage() string
	}
	if errors.As(err, &te) {
		e := &Error{File: path, Msg: te.GetMessage()}
		if tk := te.GetToken(); tk != nil && tk.Position != nil {
			e.Line, e.Column = tk.Position.Line, tk.Position.Column
		}
		return e
	}
	return &Error{File: path, Msg: err.Error()}
}

// Pos returns the line and column of the value at path, a sequence of mapping keys (string)
// and sequence indexes (int) from the document root; zeros when it cannot be found.
func (s *Source) Pos(path ...any) (line, col int) {
	if s == nil || len(s.Data) == 0 {
		return 0, 0
	}
	if s.file == nil {
		f, err := parser.ParseBytes(s.Data, 0)
		if err != nil || len(f.Docs) == 0 {
			return 0, 0
		}
		s.file = f
	}
	node := s.file.Docs[0].Body
	for _, step := range path {
		if node == nil {
			return 0, 0
		}
		node = child(node, step)
	}
	if node == nil {
		return 0, 0
	}
	if tk := node.GetToken(); tk != nil && tk.Position != nil {
		return tk.Position.Line, tk.Position.Column
	}
	return 0, 0
}

// child steps into a mapping by key or a sequence by index.
func child(n ast.Node, step any) ast.Node {
	switch v := n.(type) {
	case *ast.MappingNode:
		key, ok := step.(string)
		if !ok {
			return nil
		}
		for _, mv := range v.Values {
			if keyText(mv.Key) == key {
				return mv.Value
			}
		}
	case *ast.MappingValueNode:
		if key, ok := step.(string); ok && keyText(v.Key) == key {
			return v.Value
		}
	case *ast.SequenceNode:
		i, ok := step.(int)
		if ok && i >= 0 && i < len(v.Values) {
			return v.Values[i]
		}
	case *ast.TagNode:
		return child(v.Value, step)
	case *ast.AnchorNode:
		return child(v.Value, step)
	}
	return nil
}

func keyText(k ast.MapKeyNode) string {
	if tk := k.GetToken(); tk != nil {
		return tk.Value
	}
	return strings.Trim(k.String(), `"'`)
}

// Error is a problem in a policy, with where it is.
type Error struct {
	File   string
	Line   int
	Column int
	Policy string
	Node   string
	Msg    string
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	if e.Line > 0 {
		b.WriteString(":" + strconv.Itoa(e.Line))
		if e.Column > 0 {
			b.WriteString(":" + strconv.Itoa(e.Column))
		}
	}
	if b.Len() > 0 {
		b.WriteString(": ")
	}
	if e.Node != "" {
		fmt.Fprintf(&b, "node %s: ", e.Node)
	}
	b.WriteString(e.Msg)
	return b.String()
}

// Errors is every problem found in one policy.
type Errors []*Error

func (es Errors) Error() string {
	lines := make([]string, len(es))
	for i, e := range es {
		lines[i] = e.Error()
	}
	return strings.Join(lines, "\n")
}

// UnmarshalYAML reads a decide either as a list of conditions or as an executor mapping.
func (d *Decide) UnmarshalYAML(unmarshal func(any) error) error {
	var raw any
	if err := unmarshal(&raw); err != nil {
		return err
	}
	if _, isList := raw.([]any); isList {
		return unmarshal(&d.Conditions)
	}
	type plain Decide // without this method, so decoding does not recurse
	return unmarshal((*plain)(d))
}

// MarshalYAML writes a decide in the form it was read.
func (d *Decide) MarshalYAML() (any, error) {
	if d.Executor == "" {
		return d.Conditions, nil
	}
	type plain Decide
	return (*plain)(d), nil
}

// UnmarshalYAML reads a duration such as "2s".
func (d *Duration) UnmarshalYAML(unmarshal func(any) error) error {
	var s string
	if err := unmarshal(&s); err != nil {
		return err
	}
	v, err := time.ParseDuration(s)
	if err != nil {
		return fmt.Errorf("duration %q: want a number with a unit, such as 2s or 500ms", s)
	}
	*d = Duration(v)
	return nil
}

// MarshalYAML writes a duration such as "2s".
func (d Duration) MarshalYAML() (any, error) { return time.Duration(d).String(), nil }
