package intent

import (
	"fmt"
	"html/template"
	"io"
)

// WriteHTMLReport writes a self-contained HTML page (inline SVG and CSS, nothing fetched) with
// the metrics, the per-label scores, the most confused pairs and a heat map of the confusion
// matrix, each row normalized by its gold label's support.
func WriteHTMLReport(w io.Writer, title string, m Metrics) error {
	n := len(m.Labels)
	cell := max(4, min(24, 900/max(n, 1)))
	margin := 12 + 7*longest(m.Labels)
	if cell < 8 {
		margin = 20 // too small to label every row; tooltips name the cells instead
	}
	hm := heatmap{Cell: cell, Margin: margin, Inner: n * cell, Size: margin + n*cell, Labelled: cell >= 8}
	for i, l := range m.Labels {
		hm.Ticks = append(hm.Ticks, tick{Label: l, Pos: margin + i*cell + cell/2})
		support := 0
		for _, v := range m.Confusion[i] {
			support += v
		}
		for j, v := range m.Confusion[i] {
			if v == 0 {
				continue
			}
			share := float64(v) / float64(support)
			color := fmt.Sprintf("rgba(200,40,40,%.2f)", 0.15+0.85*share)
			if i == j {
				color = fmt.Sprintf("rgba(30,90,200,%.2f)", 0.15+0.85*share)
			}
			hm.Cells = append(hm.Cells, hmCell{X: margin + j*cell, Y: margin + i*cell, Color: color,
				Tip: fmt.Sprintf("%s → %s: %d of %d (%.0f%%)", l, m.Labels[j], v, support, 100*share)})
		}
	}
	return reportTemplate.Execute(w, struct {
		Title   string
		M       Metrics
		Heatmap heatmap
	}{title, m, hm})
}

type heatmap struct {
	Cell, Margin, Inner, Size int
	Labelled                  bool
	Ticks                     []tick
	Cells                     []hmCell
}

type tick struct {
	Label string
	Pos   int
}

type hmCell struct {
	X, Y  int
	Color string
	Tip   string
}

func longest(labels []string) int {
	n := 0
	for _, l := range labels {
		n = max(n, len(l))
	}
	return min(n, 40)
}

var reportTemplate = template.Must(template.New("report").Funcs(template.FuncMap{
	"pct": func(v float64) string { return fmt.Sprintf("%.2f%%", 100*v) },
}).Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{{.Title}}</title>
<style>
body{font:14px/1.4 system-ui,sans-serif;margin:2em;color:#222}
table{border-collapse:collapse;margin:1em 0}td,th{padding:2px 10px;border-bottom:1px solid #ddd;text-align:right}
td:first-child,th:first-child{text-align:left}.low{background:#fde2e2}
svg text{font:11px monospace;fill:#333}
</style></head><body>
<h1>{{.Title}}</h1>
<table>
<tr><th>examples</th><td>{{.M.Examples}}</td></tr>
<tr><th>accuracy</th><td>{{pct .M.Accuracy}}</td></tr>
<tr><th>in-scope accuracy</th><td>{{pct .M.InScopeAccuracy}}</td></tr>
<tr><th>macro-F1</th><td>{{pct .M.MacroF1}}</td></tr>
{{if .M.OOSExamples}}<tr><th>out-of-scope precision / recall ({{.M.OOSExamples}} examples)</th><td>{{pct .M.OOSPrecision}} / {{pct .M.OOSRecall}}</td></tr>{{end}}
{{if .M.Latency.MedianMicros}}<tr><th>latency median / p99</th><td>{{printf "%.1f" .M.Latency.MedianMicros}} µs / {{printf "%.1f" .M.Latency.P99Micros}} µs</td></tr>{{end}}
</table>
<h2>Confusion matrix</h2>
<p>Rows are gold labels, columns predictions; each row is shaded by its share of the row's examples (blue: right, red: wrong). Hover a cell for counts.</p>
<svg xmlns="http://www.w3.org/2000/svg" width="{{.Heatmap.Size}}" height="{{.Heatmap.Size}}" viewBox="0 0 {{.Heatmap.Size}} {{.Heatmap.Size}}">
<rect x="{{.Heatmap.Margin}}" y="{{.Heatmap.Margin}}" width="{{.Heatmap.Inner}}" height="{{.Heatmap.Inner}}" fill="#f7f7f7"/>
{{- $hm := .Heatmap}}
{{- if $hm.Labelled}}{{range $hm.Ticks}}
<text x="{{$hm.Margin}}" y="{{.Pos}}" dx="-4" dy="4" text-anchor="end">{{.Label}}</text>
<text transform="translate({{.Pos}},{{$hm.Margin}}) rotate(-90)" dx="4" dy="4">{{.Label}}</text>
{{- end}}{{end}}
{{- range $hm.Cells}}
<rect x="{{.X}}" y="{{.Y}}" width="{{$hm.Cell}}" height="{{$hm.Cell}}" fill="{{.Color}}"><title>{{.Tip}}</title></rect>
{{- end}}
</svg>
<h2>Most confused pairs</h2>
<table><tr><th>gold</th><th>predicted</th><th>count</th></tr>
{{range .M.Confused}}<tr><td>{{.Gold}}</td><td>{{.Predicted}}</td><td>{{.Count}}</td></tr>
{{end}}</table>
<h2>Per label</h2>
<table><tr><th>label</th><th>precision</th><th>recall</th><th>F1</th><th>support</th></tr>
{{range .M.PerLabel}}<tr{{if lt .F1 0.8}} class="low"{{end}}><td>{{.Label}}</td><td>{{pct .Precision}}</td><td>{{pct .Recall}}</td><td>{{pct .F1}}</td><td>{{.Support}}</td></tr>
{{end}}</table>
</body></html>
`))
