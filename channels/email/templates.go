package email

import (
	"bytes"
	"fmt"
	htmltemplate "html/template"
	texttemplate "text/template"
)

// TemplateConfig holds the templates of the link reply, as Go templates. Each sees
// LinkData. Empty fields take the built-in English ones.
type TemplateConfig struct {
	Subject string `yaml:"subject"`
	Text    string `yaml:"text"`
	HTML    string `yaml:"html"`
}

// LinkData is what the reply templates see.
type LinkData struct {
	// Name is the customer's display name, possibly empty.
	Name string
	// Subject is the customer's subject line.
	Subject string
	CaseID  string
	Intent  string
	Policy  string
	// Link continues the request in web chat; it works once and until Expires.
	Link    string
	Expires string
}

const (
	defaultSubject = `Re: {{.Subject}}`
	defaultText    = `Hello{{with .Name}} {{.}}{{end}},

thank you for your message. You can continue your request right away here:

{{.Link}}

The link works once and until {{.Expires}}. Your reference is {{.CaseID}}; keep it in the
subject if you write again.

Your support team
`
	defaultHTML = `<p>Hello{{with .Name}} {{.}}{{end}},</p>
<p>thank you for your message. You can continue your request right away:</p>
<p><a href="{{.Link}}">Continue your request</a></p>
<p>The link works once and until {{.Expires}}. Your reference is {{.CaseID}}; keep it in the
subject if you write again.</p>
<p>Your support team</p>
`
)

// Templates are the compiled reply templates.
type Templates struct {
	subject *texttemplate.Template
	text    *texttemplate.Template
	html    *htmltemplate.Template
}

// CompileTemplates compiles the configured templates (or the built-in ones) and renders each
// once with sample data, so a template that fails fails at load, not at the first mail.
func CompileTemplates(c TemplateConfig) (*Templates, error) {
	or := func(s, def string) string {
		if s == "" {
			return def
		}
		return s
	}
	t := &Templates{}
	var err error
	if t.subject, err = texttemplate.New("subject").Option("missingkey=error").Parse(or(c.Subject, defaultSubject)); err != nil {
		return nil, fmt.Errorf("templates.subject: %w", err)
	}
	if t.text, err = texttemplate.New("text").Option("missingkey=error").Parse(or(c.Text, defaultText)); err != nil {
		return nil, fmt.Errorf("templates.text: %w", err)
	}
	if t.html, err = htmltemplate.New("html").Option("missingkey=error").Parse(or(c.HTML, defaultHTML)); err != nil {
		return nil, fmt.Errorf("templates.html: %w", err)
	}
	if _, _, _, err := t.Render(LinkData{Name: "N", Subject: "S", CaseID: "C", Link: "https://x/chat?key=k", Expires: "E"}); err != nil {
		return nil, err
	}
	return t, nil
}

// Render returns the subject, text and HTML of a link reply.
func (t *Templates) Render(d LinkData) (subject, text, html string, err error) {
	var s, x, h bytes.Buffer
	if err := t.subject.Execute(&s, d); err != nil {
		return "", "", "", fmt.Errorf("templates.subject: %w", err)
	}
	if err := t.text.Execute(&x, d); err != nil {
		return "", "", "", fmt.Errorf("templates.text: %w", err)
	}
	if err := t.html.Execute(&h, d); err != nil {
		return "", "", "", fmt.Errorf("templates.html: %w", err)
	}
	return s.String(), x.String(), h.String(), nil
}
