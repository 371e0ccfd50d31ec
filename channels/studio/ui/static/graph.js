// graph.js: a policy's DAG drawn in SVG, laid out in layers (Sugiyama style): a node's layer
// is its longest distance from the start (so every edge points down), nodes the start cannot
// reach go in a last layer, edges that span layers pass through small virtual nodes in the
// layers between (so no edge crosses a node), and the order within a layer is improved by a
// few barycenter sweeps to cut crossings. Node hits colour the nodes as heat and are written on
// them.
import { s } from './dom.js';

const W = 150, H = 46, GAP_X = 36, GAP_Y = 64, PAD = 24, VIRTUAL = 14;

// layout returns {pos: Map(id -> {x, y, layer}), routes: [{edge, points}], width, height}:
// pos for the policy's nodes (top-left corners), and for each edge the points its line passes.
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
  const layerOf = new Map(ids.map((id) => [id, reach.has(id) && seen.has(id) ? layer.get(id) : depth + 1]));
  const rows = [];
  const place = (id, l) => { (rows[l] = rows[l] || []).push(id); };
  ids.forEach((id) => place(id, layerOf.get(id)));

  // Virtual nodes: an edge from layer a to layer b > a + 1 passes one in each layer between.
  const succ = new Map(ids.map((id) => [id, []]));
  const pred = new Map(ids.map((id) => [id, []]));
  const link = (a, b) => { succ.get(a).push(b); pred.get(b).push(a); };
  const chains = [];
  graph.edges.forEach((e, i) => {
    if (!out.has(e.from) || !out.has(e.to)) return;
    const chain = [e.from];
    const a = layerOf.get(e.from), b = layerOf.get(e.to);
    for (let l = a + 1; l < b; l++) {
      const v = `\u0000${i}:${l}`;
      succ.set(v, []); pred.set(v, []);
      place(v, l);
      link(chain[chain.length - 1], v);
      chain.push(v);
    }
    if (b > a) link(chain[chain.length - 1], e.to);
    chain.push(e.to);
    chains.push({ edge: e, chain });
  });
  const isVirtual = (id) => id.startsWith('\u0000');
  const layers = rows.filter(Boolean);
  const index = new Map();
  layers.forEach((r) => r.forEach((id, i) => index.set(id, i)));
  for (let sweep = 0; sweep < 6; sweep++) {
    const down = sweep % 2 === 0;
    const order = down ? layers.slice(1) : layers.slice(0, -1).reverse();
    for (const row of order) {
      const bary = (id) => {
        const ns = down ? pred.get(id) : succ.get(id);
        return ns.length ? ns.reduce((sum, n) => sum + index.get(n), 0) / ns.length : index.get(id);
      };
      const b = new Map(row.map((id) => [id, bary(id)]));
      row.sort((x, y) => b.get(x) - b.get(y));
      row.forEach((id, i) => index.set(id, i));
    }
  }
  const widthOf = (id) => (isVirtual(id) ? VIRTUAL : W);
  const rowWidth = (row) => row.reduce((sum, id) => sum + widthOf(id), 0) + (row.length - 1) * GAP_X;
  const width = PAD * 2 + Math.max(W, ...layers.map(rowWidth));
  const at = new Map();
  layers.forEach((row, l) => {
    let x = (width - rowWidth(row)) / 2;
    for (const id of row) {
      at.set(id, { x: isVirtual(id) ? x + VIRTUAL / 2 - W / 2 : x, y: PAD + l * (H + GAP_Y), layer: l });
      x += widthOf(id) + GAP_X;
    }
  });
  const pos = new Map(ids.map((id) => [id, at.get(id)]));
  const routes = chains.map(({ edge, chain }) => {
    const points = [];
    chain.forEach((id, k) => {
      const p = at.get(id);
      const cx = p.x + W / 2;
      if (k === 0) points.push([cx, p.y + H]);
      else if (k === chain.length - 1) points.push([cx, p.y]);
      else points.push([cx, p.y], [cx, p.y + H]);
    });
    return { edge, points };
  });
  return { pos, routes, width, height: PAD * 2 + layers.length * H + (layers.length - 1) * GAP_Y };
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

// curve draws a line through points: vertical where it passes a layer, S-curves between.
function curve(points) {
  let d = `M ${points[0][0]} ${points[0][1]}`;
  for (let i = 1; i < points.length; i++) {
    const [x0, y0] = points[i - 1], [x1, y1] = points[i];
    if (x0 === x1 || y1 <= y0) d += ` L ${x1} ${y1}`;
    else d += ` C ${x0} ${(y0 + y1) / 2}, ${x1} ${(y0 + y1) / 2}, ${x1} ${y1}`;
  }
  return d;
}

// bezier is the point at t of the S-curve from a to b that curve draws.
function bezier([x0, y0], [x1, y1], t) {
  const fx = 3 * t * t - 2 * t * t * t;
  const fy = 1.5 * t * (1 - t) + t * t * t;
  return [x0 + (x1 - x0) * fx, y0 + (y1 - y0) * fy];
}

// heat maps a share 0..1 to a colour from pale to deep red.
function heat(share) {
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
  const { pos, routes, width, height } = layout(graph);
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
  const labels = [];
  for (const { edge: e, points } of routes) {
    const cls = 'edge' + (pathEdges.has(e.from + '>' + e.to) ? ' onpath' : '');
    svg.append(s('path', { d: curve(points), class: cls, 'marker-end': 'url(#arrow)' }, s('title', { text: `${e.from} → ${e.to}${e.label ? ': ' + e.label : ''}` })));
    if (e.label) {
      // On the edge's first stretch, past the middle, where edges of one node have parted;
      // moved down while it would cover a label already placed.
      const [x, y0] = bezier(points[0], points[1], 0.62);
      const short = e.label.length > 22 ? e.label.slice(0, 21) + '…' : e.label;
      const w = short.length * 5.6;
      let y = y0;
      while (labels.some((l) => x + 4 < l.x + l.w && l.x < x + 4 + w && Math.abs(l.y - y) < 11)) y += 11;
      labels.push({ x: x + 4, y, w });
      svg.append(s('text', { class: 'elabel', x: x + 4, y, text: short }));
    }
  }
  for (const n of graph.nodes) {
    const p = pos.get(n.id);
    const count = hits ? hits[n.id] || 0 : null;
    const label = `${n.id}, ${n.kind}${n.id === graph.start ? ', start' : ''}${count !== null ? `, ${count} hits` : ''}`;
    const share = hits ? count / max : 0;
    const cls = 'node' + (onPath.has(n.id) ? ' onpath' : '') + (opts.selected === n.id ? ' selected' : '') + (share > 0.6 ? ' hot' : '');
    const g = s('g', { class: cls, transform: `translate(${p.x},${p.y})`, tabindex: opts.onSelect ? 0 : null,
      role: opts.onSelect ? 'button' : 'img', 'aria-label': label, 'data-node': n.id },
      s('title', { text: label }),
      s('rect', { width: W, height: H, rx: kinds[n.id] === 'end' ? 22 : 6, fill: hits ? heat(share) : '#fff' }),
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
