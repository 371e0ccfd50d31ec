package mime

import (
	"strings"

	"golang.org/x/net/html"
)

// blockTags end a line of text; the rest of the markup only carries words.
var blockTags = map[string]bool{
	"p": true, "div": true, "br": true, "li": true, "tr": true, "h1": true, "h2": true,
	"h3": true, "h4": true, "h5": true, "h6": true, "blockquote": true, "table": true,
	"ul": true, "ol": true, "hr": true, "pre": true, "section": true, "article": true,
}

// HTMLToText makes an HTML body readable as plain text: the words of the document in order,
// a line break for each block element, scripts and styles dropped, quoted replies marked with
// "> " so that StripQuotes removes them like quoted plain text.
func HTMLToText(src string) string {
	if strings.TrimSpace(src) == "" {
		return ""
	}
	z := html.NewTokenizer(strings.NewReader(src))
	var b strings.Builder
	skip, quote := 0, 0
	line := func() {
		if b.Len() > 0 && !strings.HasSuffix(b.String(), "\n") {
			b.WriteByte('\n')
		}
		if quote > 0 {
			b.WriteString("> ")
		}
	}
	for {
		switch z.Next() {
		case html.ErrorToken:
			return collapseBlankLines(b.String())
		case html.StartTagToken, html.SelfClosingTagToken:
			name, _ := z.TagName()
			tag := string(name)
			switch {
			case tag == "script" || tag == "style" || tag == "head":
				skip++
			case tag == "blockquote":
				quote++
				line()
			case blockTags[tag]:
				line()
			}
		case html.EndTagToken:
			name, _ := z.TagName()
			tag := string(name)
			switch {
			case tag == "script" || tag == "style" || tag == "head":
				skip = max(skip-1, 0)
			case tag == "blockquote":
				quote = max(quote-1, 0)
				line()
			case blockTags[tag]:
				line()
			}
		case html.TextToken:
			if skip > 0 {
				continue
			}
			words := strings.Fields(string(z.Text()))
			if len(words) == 0 {
				continue
			}
			if s := b.String(); s != "" && !strings.HasSuffix(s, "\n") && !strings.HasSuffix(s, " ") {
				b.WriteByte(' ')
			}
			b.WriteString(strings.Join(words, " "))
		}
	}
}

// collapseBlankLines trims every line and keeps at most one blank line between paragraphs.
func collapseBlankLines(s string) string {
	var out []string
	blank := false
	for _, l := range strings.Split(s, "\n") {
		l = strings.TrimSpace(l)
		if l == "" || l == ">" {
			if !blank && len(out) > 0 {
				out = append(out, "")
			}
			blank = true
			continue
		}
		blank = false
		out = append(out, l)
	}
	return strings.TrimSpace(strings.Join(out, "\n"))
}
