package main

import (
	"fmt"
	"html"
	"strings"
	"time"
)

// chart draws the medians as an SVG: requests/s per case with the targets as marks, and
// p50/p99 latency at the fixed rate with the p99 bound.
func chart(rows []row, o options) []byte {
	const width, barH, gap, left, panelW = 760, 22, 10, 190, 480
	var b strings.Builder
	height := 2*(len(rows)*(barH+gap)+60) + 40
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" font-family="sans-serif" font-size="13">`+"\n", width, height)
	fmt.Fprintf(&b, `<title>make bench-http: medians of %d runs</title>`+"\n", o.runs)
	y := 24
	text := func(x, y int, anchor, s string) {
		fmt.Fprintf(&b, `<text x="%d" y="%d" text-anchor="%s">%s</text>`+"\n", x, y, anchor, html.EscapeString(s))
	}
	text(10, y, "start", fmt.Sprintf("Requests/s on loopback, %d connections (medians of %d runs)", o.conns, o.runs))
	y += 16
	bare := rows[0].rps
	for _, r := range rows {
		w := int(float64(panelW) * r.rps / bare)
		text(left-8, y+barH-6, "end", r.name)
		fmt.Fprintf(&b, `<rect x="%d" y="%d" width="%d" height="%d" fill="#4a78b0"/>`+"\n", left, y, max(w, 1), barH)
		label := fmt.Sprintf("%.0f", r.rps)
		if r.name != caseBare {
			label += fmt.Sprintf(" (%.0f%% of bare)", 100*r.rps/bare)
			tx := left + int(float64(panelW)*targetRatio[r.name])
			fmt.Fprintf(&b, `<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="#c0392b" stroke-width="2"><title>target</title></line>`+"\n", tx, y-3, tx, y+barH+3)
		}
		text(left+max(w, 1)+6, y+barH-6, "start", label)
		y += barH + gap
	}
	y += 30
	text(10, y, "start", fmt.Sprintf("Latency at %d requests/s: p50 (light) and p99 (dark); the red line is the p99 target", o.rate))
	y += 16
	scale := float64(panelW) / float64(max(targetP99, slowest(rows))*11/10)
	for _, r := range rows {
		text(left-8, y+barH-6, "end", r.name)
		fmt.Fprintf(&b, `<rect x="%d" y="%d" width="%d" height="%d" fill="#2c3e50"/>`+"\n", left, y, max(int(scale*float64(r.p99)), 1), barH)
		fmt.Fprintf(&b, `<rect x="%d" y="%d" width="%d" height="%d" fill="#95a5a6"/>`+"\n", left, y, max(int(scale*float64(r.p50)), 1), barH)
		text(left+max(int(scale*float64(r.p99)), 1)+6, y+barH-6, "start", ms(r.p50)+" / "+ms(r.p99))
		y += barH + gap
	}
	tx := left + int(scale*float64(targetP99))
	fmt.Fprintf(&b, `<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="#c0392b" stroke-width="2"/>`+"\n", tx, y-len(rows)*(barH+gap)-3, tx, y)
	b.WriteString("</svg>\n")
	return []byte(b.String())
}

func slowest(rows []row) time.Duration {
	var d time.Duration
	for _, r := range rows {
		d = max(d, r.p99)
	}
	return d
}
