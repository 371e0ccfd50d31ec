package wasm

import (
	"fmt"
	"html"
	"io"
	"math"
	"time"
)

// WriteSVG draws the latency distribution as a histogram on a logarithmic time axis, with the
// median and 99th percentile marked: the picture `frontdesk executor bench --svg` writes.
func (r BenchResult) WriteSVG(w io.Writer, title string) error {
	const width, height, left, bottom, top, bins = 640, 320, 60, 40, 40, 60
	if len(r.Latencies) == 0 {
		_, err := fmt.Fprintf(w, `<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="60"><text x="10" y="30">no successful calls</text></svg>`, width)
		return err
	}
	lo := math.Log10(float64(max(r.Latencies[0], time.Nanosecond)))
	hi := math.Log10(float64(r.Latencies[len(r.Latencies)-1])) + 1e-9
	if hi-lo < 0.5 {
		lo, hi = lo-0.25, hi+0.25
	}
	counts := make([]int, bins)
	peak := 1
	for _, d := range r.Latencies {
		b := int((math.Log10(float64(max(d, time.Nanosecond))) - lo) / (hi - lo) * bins)
		b = min(max(b, 0), bins-1)
		counts[b]++
		peak = max(peak, counts[b])
	}
	plotW, plotH := float64(width-left-20), float64(height-top-bottom)
	x := func(d time.Duration) float64 {
		return left + (math.Log10(float64(max(d, time.Nanosecond)))-lo)/(hi-lo)*plotW
	}
	p := func(format string, args ...any) { fmt.Fprintf(w, format, args...) }
	p(`<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" font-family="sans-serif" font-size="12">`+"\n", width, height)
	p(`<text x="%d" y="20" font-size="14">%s</text>`+"\n", left, html.EscapeString(title))
	p(`<text x="%d" y="34" fill="#555">%d calls, %.0f calls/s, %d goroutines, %d errors</text>`+"\n", left, r.Calls, r.CallsPerSecond(), r.Concurrency, r.Errors)
	for i, c := range counts {
		if c == 0 {
			continue
		}
		h := float64(c) / float64(peak) * plotH
		p(`<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" fill="#4878a8"/>`+"\n",
			left+float64(i)*plotW/bins, float64(top)+plotH-h, plotW/bins-1, h)
	}
	p(`<line x1="%d" y1="%.1f" x2="%.1f" y2="%.1f" stroke="#000"/>`+"\n", left, float64(top)+plotH, left+plotW, float64(top)+plotH)
	for e := math.Ceil(lo); e <= hi; e++ {
		d := time.Duration(math.Pow(10, e))
		p(`<text x="%.1f" y="%.1f" text-anchor="middle">%v</text>`+"\n", x(d), float64(top)+plotH+16, d)
	}
	for _, m := range []struct {
		label string
		q     float64
		color string
	}{{"p50", 50, "#2a9d3a"}, {"p99", 99, "#c0392b"}} {
		d := r.Percentile(m.q)
		p(`<line x1="%.1f" y1="%d" x2="%.1f" y2="%.1f" stroke="%s" stroke-dasharray="4 3"/>`+"\n", x(d), top, x(d), float64(top)+plotH, m.color)
		p(`<text x="%.1f" y="%d" fill="%s">%s %v</text>`+"\n", x(d)+3, top+12, m.color, m.label, d)
	}
	p(`<text x="%.1f" y="%d" text-anchor="middle" fill="#555">latency per call (log scale)</text>`+"\n", left+plotW/2, height-6)
	_, err := io.WriteString(w, "</svg>\n")
	return err
}
