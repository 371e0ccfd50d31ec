package rest

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"text/template"
)

// endpoint is an Endpoint compiled: templates parsed, paths split.
type endpoint struct {
	name    string
	method  string
	url     *template.Template
	headers map[string]*template.Template
	body    *template.Template // nil: the arguments as JSON, for methods with a body
	root    path
	items   path
	fields  map[string]path
	status  map[string]string
}

// rendered is a request made from an endpoint and arguments, ready to be sent (again).
type rendered struct {
	method  string
	url     string
	headers map[string]string
	body    []byte
}

var funcs = template.FuncMap{
	"json": func(v any) (string, error) {
		b, err := json.Marshal(v)
		return string(b), err
	},
	"path":  func(v any) string { return url.PathEscape(text(v)) },
	"query": func(v any) string { return url.QueryEscape(text(v)) },
}

// Fields each kind of operation maps, and the arguments its templates see.
var (
	customerFields      = []string{"id", "name", "email", "phone", "address.street", "address.city", "address.postcode", "address.country", "attributes"}
	changeRequestFields = []string{"id", "customer_id", "kind", "fields", "status", "case_id", "created"}

	operationArgs = map[string]map[string]any{
		OpGetCustomer: {"customer_id": "C-1001"},
		OpSubmitChangeRequest: {"customer_id": "C-1001", "kind": "address", "fields": map[string]string{"street": "Rua Augusta 100"},
			"case_id": "5005e00000ZxQ1aAAF", "idempotency_key": "run-1/submit", "status": "pending"},
		OpGetChangeRequest:   {"id": "CR-1"},
		OpListChangeRequests: {"customer_id": "C-1001"},
	}
	operationFields = map[string][]string{
		OpGetCustomer:         customerFields,
		OpSubmitChangeRequest: changeRequestFields,
		OpGetChangeRequest:    changeRequestFields,
		OpListChangeRequests:  changeRequestFields,
	}
)

// compiled is a whole configuration compiled.
type compiled struct {
	operations map[string]*endpoint
	hydrators  map[string]*endpoint
}

// compile compiles every endpoint, trying each operation's templates on sample arguments so
// that a misspelt argument fails here, and reports every mistake at once.
func compile(c Config) (*compiled, error) {
	errs := []error{c.validate()}
	out := &compiled{operations: map[string]*endpoint{}, hydrators: map[string]*endpoint{}}
	for _, name := range sortedKeys(c.Operations) {
		fields, known := operationFields[name]
		if !known {
			continue // validate reported it
		}
		e, err := compileEndpoint("operations."+name, c.Operations[name], fields)
		if err == nil {
			_, err = e.render(operationArgs[name])
		}
		errs = append(errs, err)
		out.operations[name] = e
	}
	for _, name := range sortedKeys(c.Hydrators) {
		e, err := compileEndpoint("hydrators."+name, c.Hydrators[name], nil)
		errs = append(errs, err)
		out.hydrators[name] = e
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return out, nil
}

// compileEndpoint compiles one endpoint; known lists the fields its mapping may name (nil for
// a hydrator, which maps nothing but its root).
func compileEndpoint(name string, e Endpoint, known []string) (*endpoint, error) {
	var errs []error
	fail := func(format string, a ...any) { errs = append(errs, fmt.Errorf(name+": "+format, a...)) }
	parse := func(what, text string) *template.Template {
		t, err := template.New(name + "." + what).Funcs(funcs).Option("missingkey=error").Parse(text)
		if err != nil {
			errs = append(errs, err)
		}
		return t
	}
	out := &endpoint{name: name, method: strings.ToUpper(e.Method), headers: map[string]*template.Template{}, fields: map[string]path{}, status: e.Response.StatusValues}
	if out.method == "" {
		out.method = http.MethodGet
	}
	switch out.method {
	case http.MethodGet, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete:
	default:
		fail("method %q is not one of GET, POST, PUT, PATCH, DELETE", e.Method)
	}
	if e.URL == "" {
		fail("url is required")
	}
	out.url = parse("url", e.URL)
	for k, v := range e.Headers {
		out.headers[k] = parse("headers."+k, v)
	}
	if e.Body != "" {
		out.body = parse("body", e.Body)
	}
	var err error
	if out.root, err = parsePath(e.Response.Root); err != nil {
		fail("response.root: %v", err)
	}
	if out.items, err = parsePath(e.Response.Items); err != nil {
		fail("response.items: %v", err)
	}
	if known == nil {
		if len(e.Response.Fields) > 0 || e.Response.Items != "" {
			fail("a hydrator returns its response.root as it is; fields and items do not apply")
		}
	} else {
		for _, f := range known {
			if f != "attributes" {
				out.fields[f], _ = parsePath(f)
			}
		}
		for f, p := range e.Response.Fields {
			if !isKnownField(f, known) {
				fail("response.fields.%s: not a field here; known: %s, attributes.<name>", f, strings.Join(known, ", "))
				continue
			}
			if out.fields[f], err = parsePath(p); err != nil {
				fail("response.fields.%s: %v", f, err)
			}
		}
	}
	return out, errors.Join(errs...)
}

func isKnownField(f string, known []string) bool {
	for _, k := range known {
		if f == k || k == "attributes" && strings.HasPrefix(f, "attributes.") && len(f) > len("attributes.") {
			return true
		}
	}
	return false
}

// render executes the endpoint's templates on the arguments.
func (e *endpoint) render(args map[string]any) (*rendered, error) {
	exec := func(t *template.Template) (string, error) {
		var b strings.Builder
		if err := t.Execute(&b, args); err != nil {
			return "", err
		}
		return b.String(), nil
	}
	r := &rendered{method: e.method, headers: map[string]string{}}
	var err error
	if r.url, err = exec(e.url); err != nil {
		return nil, err
	}
	for k, t := range e.headers {
		if r.headers[k], err = exec(t); err != nil {
			return nil, err
		}
	}
	switch {
	case e.body != nil:
		s, err := exec(e.body)
		if err != nil {
			return nil, err
		}
		r.body = []byte(s)
	case e.method == http.MethodPost || e.method == http.MethodPut || e.method == http.MethodPatch:
		if r.body, err = json.Marshal(args); err != nil {
			return nil, err
		}
	}
	if r.body != nil && strings.HasPrefix(strings.TrimSpace(string(r.body)), "{") && !json.Valid(r.body) {
		// A body template that looks like JSON but is not would be sent and rejected by the back
		// office with a less helpful message; catch it here.
		return nil, fmt.Errorf("template: %s.body: the rendered body is not valid JSON: %s", e.name, bytes.TrimSpace(r.body))
	}
	return r, nil
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
