// analytics.js: a version's runs, outcomes, paths, node hits and CSAT as charts, live and
// shadow runs apart, with CSV and JSON export.
import { api, paths, session } from './api.js';
import { busy, field, fill, h, table } from './dom.js';
import { bars } from './chart.js';
import { render as drawGraph } from './graph.js';

const pct = (x) => `${Math.round(x * 100)}%`;

export async function render(ctx) {
  const { policy, version, panel } = ctx;
  const since = h('input', { type: 'datetime-local', id: 'an-since' });
  const until = h('input', { type: 'datetime-local', id: 'an-until' });
  const experiment = h('input', { id: 'an-experiment', autocomplete: 'off' });
  const results = h('div', { 'aria-live': 'polite' });
  // query is the API's filter: times in RFC 3339 (UTC), from the local times picked.
  const query = () => {
    const q = { version };
    if (since.value) q.since = new Date(since.value).toISOString();
    if (until.value) q.until = new Date(until.value).toISOString();
    if (experiment.value.trim()) q.experiment = experiment.value.trim();
    return q;
  };
  const apply = h('button', { type: 'submit', text: 'Apply' });
  const csv = h('button', { type: 'button', class: 'secondary', text: 'Export CSV' });
  const json = h('button', { type: 'button', class: 'secondary', text: 'Export JSON' });
  const load = async () => {
    const a = await api('GET', paths.analytics(policy, query()));
    const rows = a.versions.filter((r) => r.version === version);
    fill(results, ...(rows.length ? rows.flatMap((r) => section(r, ctx.v)) : [h('p', { class: 'muted', text: 'No runs of this version in this period.' })]));
  };
  const filters = h('form', { class: 'inline', 'aria-label': 'Filter the runs' },
    field('Since', since), field('Until', until), field('Experiment', experiment, 'runs it served'), apply, csv, json);
  filters.addEventListener('submit', (ev) => { ev.preventDefault(); busy(apply, load); });
  csv.addEventListener('click', () => busy(csv, () => download(policy, version, query(), 'csv')));
  json.addEventListener('click', () => busy(json, () => download(policy, version, query(), 'json')));
  fill(panel, h('h2', { text: `Analytics of version ${version}` }), filters, results);
  await load();
}

function section(r, v) {
  const kind = r.shadow ? 'Shadow runs' : 'Live runs';
  const outcomes = (r.outcomes || []).map((o) => ({ label: o.outcome + (o.handed_off ? ' (handed off)' : ''), value: o.runs }));
  const hits = Object.entries(r.node_hits || {}).sort((x, y) => y[1] - x[1]).map(([label, value]) => ({ label, value }));
  const paths_ = (r.paths || []).slice(0, 10).map((p) => ({ label: p.path.join(' → '), value: p.runs }));
  const csat = (r.csat_by_terminal || []).filter((c) => c.csat_runs).map((c) => ({ label: c.node, value: c.csat_mean, note: `(${c.csat_runs} ratings)` }));
  return [
    h('h3', { text: kind }),
    h('div', { class: 'kpis' },
      kpi('Runs', r.runs), kpi('Automation rate', pct(r.automation_rate || 0)), kpi('Handed off', r.handed_off),
      kpi('Mean latency', `${((r.latency_mean_s || 0) * 1000).toFixed(1)} ms`)),
    h('div', { class: 'graph', 'aria-label': `${kind}: node hits on the graph` }, drawGraph(v.graph, { hits: r.node_hits || {} })),
    bars(`${kind}: outcomes`, outcomes),
    bars(`${kind}: node hits`, hits, { alt: true }),
    bars(`${kind}: most frequent paths`, paths_),
    bars(`${kind}: CSAT by terminal node (1–5)`, csat, { format: (x) => x.toFixed(2), alt: true }),
    (r.outcomes || []).length ? table(`${kind}: outcomes`, ['Outcome', 'Handed off', 'Runs', 'CSAT ratings', 'CSAT mean'],
      r.outcomes.map((o) => [o.outcome, o.handed_off ? 'yes' : 'no', o.runs, o.csat_runs || 0, o.csat_runs ? o.csat_mean.toFixed(2) : '—']), [2, 3, 4]) : null,
  ];
}

function kpi(label, value) {
  return h('div', { class: 'kpi' }, h('span', { class: 'muted', text: label }), h('strong', { text: String(value) }));
}

// download fetches the export with the key (a plain link could not send it) and saves it.
async function download(policy, version, query, format) {
  const res = await fetch(paths.analytics(policy, { ...query, format }), { headers: { Authorization: 'Bearer ' + session.key } });
  if (!res.ok) throw new Error(`export failed: HTTP ${res.status}`);
  const url = URL.createObjectURL(await res.blob());
  const a = h('a', { href: url, download: `${policy}-v${version}-analytics.${format}` });
  document.body.append(a);
  a.click();
  a.remove();
  URL.revokeObjectURL(url);
}
