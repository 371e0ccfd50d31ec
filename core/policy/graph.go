package policy

import (
	"fmt"
	"io"
	"strings"
)

// nodeLabel is the text inside a node's box: its id and what it does.
func (c *Compiled) nodeLabel(id string) string {
	n := c.nodes[id]
	switch n.kind {
	case KindDo:
		return id + "\n" + n.def.Do
	case KindCall:
		return id + "\ncall " + n.def.Call
	case KindEnd:
		return id + "\nend: " + n.def.End
	case KindDecide:
		if n.exec != "" {
			return id + "\nexecutor " + n.exec
		}
	}
	return id
}

// WriteMermaid writes the graph as a Mermaid flowchart. Hits, when not nil, are drawn on the
// nodes (visits per node id), as analytics do.
func (c *Compiled) WriteMermaid(w io.Writer, hits map[string]int) error {
	var b strings.Builder
	b.WriteString("flowchart TD\n")
	shapes := map[Kind][2]string{KindDecide: {"{", "}"}, KindAsk: {"[/", "/]"}, KindDo: {"[", "]"}, KindCall: {"[[", "]]"}, KindEnd: {"([", "])"}}
	for _, id := range c.NodeIDs() {
		s := shapes[c.nodes[id].kind]
		label := strings.ReplaceAll(c.nodeLabel(id), "\n", "<br/>")
		if hits != nil {
			label += fmt.Sprintf("<br/>%d hits", hits[id])
		}
		fmt.Fprintf(&b, "  %s%s\"%s\"%s\n", mermaidID(id), s[0], mermaidText(label), s[1])
	}
	for _, e := range c.Edges() {
		if e.Label == "" {
			fmt.Fprintf(&b, "  %s --> %s\n", mermaidID(e.From), mermaidID(e.To))
		} else {
			fmt.Fprintf(&b, "  %s -->|\"%s\"| %s\n", mermaidID(e.From), mermaidText(e.Label), mermaidID(e.To))
		}
	}
	fmt.Fprintf(&b, "  classDef start stroke-width:3px\n  class %s start\n", mermaidID(c.start.id))
	_, err := io.WriteString(w, b.String())
	return err
}

func mermaidID(id string) string {
	return "n_" + strings.NewReplacer("-", "_", ".", "_", " ", "_").Replace(id)
}

func mermaidText(s string) string { return strings.ReplaceAll(s, `"`, "#quot;") }

// WriteDOT writes the graph in Graphviz DOT.
func (c *Compiled) WriteDOT(w io.Writer, hits map[string]int) error {
	var b strings.Builder
	fmt.Fprintf(&b, "digraph %q {\n  rankdir=TB;\n  node [fontname=\"Helvetica\", fontsize=11];\n  edge [fontname=\"Helvetica\", fontsize=9];\n", c.Policy.Name)
	shapes := map[Kind]string{KindDecide: "diamond", KindAsk: "parallelogram", KindDo: "box", KindCall: "box3d", KindEnd: "oval"}
	for _, id := range c.NodeIDs() {
		n := c.nodes[id]
		label := c.nodeLabel(id)
		if hits != nil {
			label += fmt.Sprintf("\n%d hits", hits[id])
		}
		extra := ""
		if n == c.start {
			extra = ", penwidth=2.5"
		}
		if n.kind == KindEnd {
			extra += ", style=filled, fillcolor=\"#eef5ee\""
		}
		fmt.Fprintf(&b, "  %q [shape=%s, label=%q%s];\n", id, shapes[n.kind], label, extra)
	}
	for _, e := range c.Edges() {
		style := ""
		if e.Label == "error" {
			style = ", style=dashed, color=\"#b03030\""
		}
		fmt.Fprintf(&b, "  %q -> %q [label=%q%s];\n", e.From, e.To, e.Label, style)
	}
	b.WriteString("}\n")
	_, err := io.WriteString(w, b.String())
	return err
}
