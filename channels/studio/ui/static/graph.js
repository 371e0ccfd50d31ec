// graph.js: a policy's DAG drawn in SVG. Layout is layered: a node's layer is its longest
// distance from the start (so every edge points down), nodes the start cannot reach go in a
// last layer, and the order within a layer is improved by a few barycenter sweeps to cut
// crossings. Node hits colour the nodes as heat and are written on them.
import { s } from './dom.js';

const W = 150, H = 46, GAP_X = 36, GAP_Y = 64, PAD = 24;

// layout returns {pos: Map(id -> {x, y, layer}), width, height}.
export function layout(graph) {
  const ids = graph.nodes.map((n) => n.id);
  const out = new Map(ids.map((id) => [id, []]));
  const indeg = new Map(ids.map((id) => [id, 0]));
  for (const e of graph.edges) {
    if (!out.has(e.from) || !out.has(e.to) || e.from === e.to) continue;
    out.get(e.from).push(e.to);
    indeg.set(e.to, indeg.get(e.to) + 1);
  }
  // Longest path layering over a topological order (Kahn); a cycle, which the compiler
  // refuses anyway, leaves its nodes for the last layer instead of looping.
  const layer = new Map();
  const queue = ids.filter((id) => indeg.get(id) === 0);
  const seen = new Set();
  const reach = reachable(graph.start, out);
  while (queue.length) {
    const id = queue.shift();
    seen.add(id);
    if (!layer.has(id)) layer.set(id, 0);
    for (const to of out.get(id)) {
      if (reach.has(id)) layer.set(to, Math.max(layer.get(to) ?? 0, layer.get(id) + 1));
      indeg.set(to, indeg.get(to) - 1);
      if (indeg.get(to) === 0) queue.push(to);
    }
  }
  let depth = 0;
  for (const id of ids) if (reach.has(id) && seen.has(id)) depth = Math.max(depth, layer.get(id));
  const layers = [];
  for (const id of ids) {
    const l = reach.has(id) && seen.has(id) ? layer.get(id) : depth + 1;
    (layers[l] = layers[l] || []).push(id);
  }
  const rows = layers.filter(Boolean);
  const preds = new Map(ids.map((id) => [id, []]));
  for (const [from, tos] of out) for (const to of tos) preds.get(to).push(from);
  const index = new Map();
  const reindex = () => rows.forEach((r) => r.forEach((id, i) => index.set(id, i)));
  reindex();
  for (let sweep = 0; sweep < 4; sweep++) {
    const down = sweep % 2 === 0;
    const order = down ? rows.slice(1) : rows.slice(0, -1).reverse();
    for (const row of order) {
      const bary = (id) => {
        const ns = down ? preds.get(id) : out.get(id);
        return ns.length ? ns.reduce((a, n) => a + index.get(n), 0) / ns.length : index.get(id);
      };
      const b = new Map(row.map((id) => [id, bary(id)]));
      row.sort((a, c) => b.get(a) - b.get(c));
      row.forEach((id, i) => index.set(id, i));
    }
  }
  const widest = Math.max(...rows.map((r) => r.length), 1);
  const width = PAD * 2 + widest * W + (widest - 1) * GAP_X;
  const pos = new Map();
  rows.forEach((row, l) => {
    const rowWidth = row.length * W + (row.length - 1) * GAP_X;
    const x0 = (width - rowWidth) / 2;
    row.forEach((id, i) => pos.set(id, { x: x0 + i * (W + GAP_X), y: PAD + l * (H + GAP_Y), layer: l }));
  });
  return { pos, width, height: PAD * 2 + rows.length * H + (rows.length - 1) * GAP_Y };
}

function reachable(start, out) {
  const seen = new Set();
  const stack = [start];
  while (stack.length) {
    const id = stack.pop();
    if (seen.has(id) || !out.has(id)) continue;
    seen.add(id);
    stack.push(...out.get(id));
  }
  return seen;
}

// heat maps a share 0..1 to a colour from pale to deep red.
export function heat(share) {
  const stops = [[241, 245, 249], [253, 230, 138], [249, 115, 22], [185, 28, 28]];
  const t = Math.max(0, Math.min(1, share)) * (stops.length - 1);
  const i = Math.min(Math.floor(t), stops.length - 2);
  const f = t - i;
  const c = stops[i].map((v, k) => Math.round(v + (stops[i + 1][k] - v) * f));
  return `rgb(${c.join(',')})`;
}

// render draws the graph. Options: hits (node -> count), path (node ids to highlight),
// selected (a node id), onSelect (called with a node id on click or Enter).
export function render(graph, opts = {}) {
  const { pos, width, height } = layout(graph);
  const hits = opts.hits || null;
  const max = hits ? Math.max(1, ...Object.values(hits)) : 1;
  const onPath = new Set(opts.path || []);
  const pathEdges = new Set();
  for (let i = 1; i < (opts.path || []).length; i++) pathEdges.add(opts.path[i - 1] + '>' + opts.path[i]);
  const kinds = Object.fromEntries(graph.nodes.map((n) => [n.id, n.kind]));
  const summary = `Graph of ${graph.nodes.length} nodes starting at ${graph.start}` +
    (hits ? `, coloured by hits (most: ${max})` : '');
  const svg = s('svg', { viewBox: `0 0 ${width} ${height}`, width, height, role: 'group', 'aria-label': summary },
    s('defs', {}, s('marker', { id: 'arrow', viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: 'auto-start-reverse' },
      s('path', { d: 'M 0 0 L 10 5 L 0 10 z', fill: '#9aa3b2' }))));
  for (const e of graph.edges) {
    const a = pos.get(e.from), b = pos.get(e.to);
    if (!a || !b) continue;
    const x1 = a.x + W / 2, y1 = a.y + H, x2 = b.x + W / 2, y2 = b.y;
    const up = y2 <= y1;
    const d = up
      ? `M ${x1} ${y1} C ${x1 + 90} ${y1 + 60}, ${x2 + 90} ${y2 - 60}, ${x2} ${y2}`
      : `M ${x1} ${y1} C ${x1} ${(y1 + y2) / 2}, ${x2} ${(y1 + y2) / 2}, ${x2} ${y2}`;
    const cls = 'edge' + (pathEdges.has(e.from + '>' + e.to) ? ' onpath' : '');
    svg.append(s('path', { d, class: cls, 'marker-end': 'url(#arrow)' }, s('title', { text: `${e.from} → ${e.to}${e.label ? ': ' + e.label : ''}` })));
    if (e.label) {
      const short = e.label.length > 22 ? e.label.slice(0, 21) + '…' : e.label;
      svg.append(s('text', { class: 'elabel', x: (x1 + x2) / 2 + 4, y: (y1 + y2) / 2, text: short }));
    }
  }
  for (const n of graph.nodes) {
    const p = pos.get(n.id);
    const count = hits ? hits[n.id] || 0 : null;
    const label = `${n.id}, ${n.kind}${n.id === graph.start ? ', start' : ''}${count !== null ? `, ${count} hits` : ''}`;
    const cls = 'node' + (onPath.has(n.id) ? ' onpath' : '') + (opts.selected === n.id ? ' selected' : '');
    const g = s('g', { class: cls, transform: `translate(${p.x},${p.y})`, tabindex: opts.onSelect ? 0 : null,
      role: opts.onSelect ? 'button' : 'img', 'aria-label': label, 'data-node': n.id },
      s('title', { text: label }),
      s('rect', { width: W, height: H, rx: kinds[n.id] === 'end' ? 22 : 6, fill: hits ? heat(count / max) : '#fff' }),
      s('text', { x: 8, y: 18, text: n.id.length > 20 ? n.id.slice(0, 19) + '…' : n.id }),
      s('text', { x: 8, y: 36, class: 'kind', text: n.kind + (n.id === graph.start ? ' · start' : '') }),
      count !== null ? s('text', { x: W - 8, y: 36, class: 'hits', 'text-anchor': 'end', text: String(count) }) : null);
    if (opts.onSelect) {
      g.addEventListener('click', () => opts.onSelect(n.id));
      g.addEventListener('keydown', (ev) => {
        if (ev.key === 'Enter' || ev.key === ' ') { ev.preventDefault(); opts.onSelect(n.id); }
      });
    }
    svg.append(g);
  }
  return svg;
}

// graphOf builds the {start, nodes, edges} of a policy object (the editor's JSON), so a draft
// being edited is drawn without a round trip.
export function graphOf(p) {
  const nodes = [], edges = [];
  for (const [id, n] of Object.entries(p.nodes || {})) {
    const kind = ['decide', 'ask', 'do', 'call', 'end'].find((k) => n[k] !== undefined && n[k] !== '' && n[k] !== null) || '?';
    nodes.push({ id, kind });
    const to = (target, label) => { if (target) edges.push({ from: id, to: target, label: label || '' }); };
    if (Array.isArray(n.decide)) {
      for (const c of n.decide) c.else ? to(c.else, 'else') : to(c.goto, c.when);
    } else if (n.decide) {
      for (const [branch, target] of Object.entries(n.decide.branches || {})) to(target, branch);
      to(n.decide.else, 'else');
    }
    if (n.ask) {
      for (const c of n.ask.choices || []) to(c.goto, c.value);
      to(n.ask.goto);
    }
    to(n.goto);
    to(n.on_error, 'error');
  }
  nodes.sort((a, b) => a.id.localeCompare(b.id));
  return { start: p.start, nodes, edges };
}
