// version.js: one version: its graph with node hits, and tabs to edit it, simulate and test
// it, move it through its lifecycle (with the gate's verdict), and read its analytics.
import { api, paths } from './api.js';
import { badge, h, when } from './dom.js';
import { render as drawGraph } from './graph.js';
import * as editor from './editor.js';
import * as testing from './testing.js';
import * as lifecycle from './lifecycle.js';
import * as analytics from './analytics.js';

const TABS = [
  ['overview', 'Graph', () => true],
  ['edit', 'Edit', (v, me) => me.role !== 'viewer' && (v.state === 'draft' || v.state === 'shadow')],
  ['test', 'Simulate and test', () => true],
  ['lifecycle', 'Lifecycle', () => true],
  ['analytics', 'Analytics', () => true],
];

export async function render(main, { policy, version, tab }, me) {
  const v = await api('GET', paths.version(policy, version));
  const base = `#/policies/${encodeURIComponent(policy)}/versions/${v.version}`;
  const tabs = TABS.filter(([, , show]) => show(v, me));
  const current = tabs.find(([id]) => id === tab) ? tab : 'overview';
  const panel = h('section', { id: 'panel', role: 'tabpanel', 'aria-labelledby': 'tab-' + current, class: 'card' });
  const tabButtons = tabs.map(([id, label]) => h('button', {
    type: 'button', role: 'tab', id: 'tab-' + id, 'aria-selected': String(id === current), 'aria-controls': 'panel',
    tabindex: id === current ? 0 : -1, text: label, onclick: () => { location.hash = `${base}/${id}`; },
  }));
  const tablist = h('div', { class: 'tabs', role: 'tablist', 'aria-label': 'Version' }, ...tabButtons);
  // Arrow keys move between tabs, as the ARIA tabs pattern has it.
  tablist.addEventListener('keydown', (ev) => {
    const i = tabButtons.indexOf(document.activeElement);
    if (i < 0 || (ev.key !== 'ArrowRight' && ev.key !== 'ArrowLeft')) return;
    const next = tabButtons[(i + (ev.key === 'ArrowRight' ? 1 : tabButtons.length - 1)) % tabButtons.length];
    next.focus();
    next.click();
  });
  main.replaceChildren(
    h('p', {}, h('a', { href: `#/policies/${encodeURIComponent(policy)}`, text: '← ' + policy })),
    h('h1', {}, `${policy} · version ${v.version} `, badge(v.state)),
    h('p', { class: 'muted', text: `by ${v.author || 'unknown'} · created ${when(v.created_at)} · updated ${when(v.updated_at)} · ${v.state} since ${when(v.state_changed_at)}` }),
    tablist, panel);
  const ctx = { policy, version: v.version, v, me, panel, reload: () => render(main, { policy, version, tab: current }, me) };
  switch (current) {
    case 'edit': return editor.render(ctx);
    case 'test': return testing.render(ctx);
    case 'lifecycle': return lifecycle.render(ctx);
    case 'analytics': return analytics.render(ctx);
    default: return overview(ctx);
  }
}

// overview draws the graph with the version's node hits, live and shadow runs apart.
async function overview({ policy, version, v, panel }) {
  const source = h('select', { id: 'hits-source' },
    h('option', { value: 'all', text: 'all runs' }), h('option', { value: 'false', text: 'live runs' }), h('option', { value: 'true', text: 'shadow runs' }));
  const holder = h('div', { class: 'graph' });
  const legend = h('p', { class: 'legend' });
  const draw = async () => {
    const q = { version };
    if (source.value !== 'all') q.shadow = source.value;
    let hits = {};
    let runs = 0;
    try {
      const a = await api('GET', paths.analytics(policy, q));
      for (const row of a.versions.filter((r) => r.version === version)) {
        runs += row.runs;
        for (const [node, n] of Object.entries(row.node_hits || {})) hits[node] = (hits[node] || 0) + n;
      }
    } catch {
      hits = null; // analytics not available: draw without heat
    }
    holder.replaceChildren(drawGraph(v.graph, { hits }));
    legend.replaceChildren(h('span', { text: `${runs} runs` }), h('span', {}, 'fewer hits ', h('span', { class: 'swatch ramp' }), ' more hits'));
  };
  source.addEventListener('change', draw);
  panel.replaceChildren(
    h('h2', { text: 'Graph and node hits' }),
    h('div', { class: 'inline' }, h('label', { for: 'hits-source', text: 'Hits from' }), source),
    legend, holder,
    h('details', {}, h('summary', { text: 'The policy as YAML' }), h('pre', { text: v.body || '' })));
  await draw();
}
