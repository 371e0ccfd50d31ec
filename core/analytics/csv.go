package analytics

import (
	"encoding/csv"
	"io"
	"sort"
	"strconv"
	"strings"
)

// CSVHeader is the first row of WriteCSV: one row per version, shadow flag, metric and key.
var CSVHeader = []string{"policy", "version", "shadow", "metric", "key", "value"}

// WriteCSV writes the report as long-format CSV, which spreadsheets pivot easily: metrics
// runs, automated, handed_off, automation_rate, latency_mean_s, outcome (key: the outcome),
// node_hits (key: the node), path (key: the nodes joined by ">"), csat_terminal_runs and
// csat_terminal_mean (key: the terminal node).
func (r Report) WriteCSV(w io.Writer) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(CSVHeader); err != nil {
		return err
	}
	for _, v := range r.Versions {
		row := func(metric, key, value string) {
			_ = cw.Write([]string{r.Policy, strconv.Itoa(v.Version), strconv.FormatBool(v.Shadow), metric, key, value})
		}
		i := func(n int64) string { return strconv.FormatInt(n, 10) }
		f := func(x float64) string { return strconv.FormatFloat(x, 'g', 6, 64) }
		row("runs", "", i(v.Runs))
		row("automated", "", i(v.Automated))
		row("handed_off", "", i(v.HandedOff))
		row("automation_rate", "", f(v.AutomationRate))
		row("latency_mean_s", "", f(v.LatencyMeanS))
		for _, o := range v.Outcomes {
			row("outcome", o.Outcome, i(o.Runs))
		}
		nodes := make([]string, 0, len(v.NodeHits))
		for n := range v.NodeHits {
			nodes = append(nodes, n)
		}
		sort.Strings(nodes)
		for _, n := range nodes {
			row("node_hits", n, i(v.NodeHits[n]))
		}
		for _, p := range v.Paths {
			row("path", strings.Join(p.Path, ">"), i(p.Runs))
		}
		for _, t := range v.CSATByTerminal {
			row("csat_terminal_runs", t.Node, i(t.CSATRuns))
			row("csat_terminal_mean", t.Node, f(t.CSATMean))
		}
	}
	cw.Flush()
	return cw.Error()
}
