// layout.mjs: checks graph.js's layered layout on the example policies' graphs (given as
// JSON on stdin, [{name, graph}]): every node placed once, no two nodes overlapping, every
// edge between reachable nodes pointing down, the start node in the first row, and no edge
// passing through a node it does not join.
import { layout, graphOf } from '../static/graph.js';

const input = JSON.parse(await new Promise((resolve) => {
  let data = '';
  process.stdin.on('data', (c) => { data += c; });
  process.stdin.on('end', () => resolve(data));
}));
let failures = 0;
const fail = (name, msg) => { failures++; console.log(`FAIL ${name}: ${msg}`); };
for (const { name, policy } of input) {
  const graph = graphOf(policy);
  const { pos, routes } = layout(graph);
  if (pos.size !== graph.nodes.length) fail(name, `placed ${pos.size} of ${graph.nodes.length} nodes`);
  const seen = new Set();
  for (const [id, p] of pos) {
    const key = `${p.x},${p.y}`;
    if (seen.has(key)) fail(name, `node ${id} overlaps another at ${key}`);
    seen.add(key);
  }
  if (pos.get(graph.start).layer !== 0) fail(name, 'start is not in the first row');
  for (const e of graph.edges) {
    const a = pos.get(e.from), b = pos.get(e.to);
    if (!a || !b) fail(name, `edge ${e.from} -> ${e.to} names a missing node`);
    else if (b.layer <= a.layer) fail(name, `edge ${e.from} -> ${e.to} points up (${a.layer} -> ${b.layer})`);
  }
  const W = 150, H = 46;
  for (const { edge, points } of routes) {
    for (const [x, y] of points.slice(1, -1)) {
      for (const [id, p] of pos) {
        if (x > p.x && x < p.x + W && y >= p.y && y <= p.y + H) fail(name, `edge ${edge.from} -> ${edge.to} passes through ${id}`);
      }
    }
  }
  console.log(`${name}: ${graph.nodes.length} nodes, ${graph.edges.length} edges, ${new Set([...pos.values()].map((p) => p.layer)).size} rows`);
}
process.exit(failures ? 1 : 0);
