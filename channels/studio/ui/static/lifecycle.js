// lifecycle.js: moving a version Draft -> Shadow -> Final -> Live, with the promotion gate's
// verdict shown before and after a promotion is asked for.
import { api, paths } from './api.js';
import { busy, fill, h, notify } from './dom.js';

const RANK = { viewer: 1, author: 2, publisher: 3, admin: 4 };

// The moves of each state: [path segment, button label, role needed, what it does].
const MOVES = {
  draft: [['shadow', 'Move to shadow', 'author', 'Runs beside the live version on real traffic, taking no actions.']],
  shadow: [['promote', 'Promote to final', 'publisher', 'Allowed when the gate passes; a final version can no longer change.'],
    ['draft', 'Back to draft', 'author', 'Stops shadow runs so the version can be edited freely.']],
  final: [['deploy', 'Deploy live', 'publisher', 'Serves every customer the policy serves; the current live version becomes final.']],
  live: [],
};

export async function render({ policy, version, v, me, panel, reload }) {
  const verdict = h('div', { id: 'gate', 'aria-live': 'polite' });
  const showGate = (g) => fill(verdict, ...gateView(g));
  if (v.state === 'shadow' || v.state === 'draft') {
    try {
      showGate(await api('GET', paths.gate(policy, version)));
    } catch (err) {
      verdict.replaceChildren(h('p', { class: 'muted', text: `Gate verdict not available: ${err.message}` }));
    }
  }
  const moves = MOVES[v.state].filter(([, , role]) => RANK[me.role] >= RANK[role]).map(([to, label, , what]) => {
    const button = h('button', { type: 'button', class: to === 'draft' ? 'secondary' : null, text: label });
    button.addEventListener('click', () => busy(button, async () => {
      try {
        await api('POST', paths.move(policy, version, to), {});
      } catch (err) {
        if (err.gate) showGate(err.gate);
        throw err;
      }
      notify(`Version ${version}: ${label.toLowerCase()} done.`);
      await reload();
    }));
    return h('div', {}, button, h('span', { class: 'muted', text: ' ' + what }));
  });
  if (v.state === 'draft' && RANK[me.role] >= RANK.author) {
    const del = h('button', { type: 'button', class: 'danger', text: 'Delete draft' });
    del.addEventListener('click', () => busy(del, async () => {
      if (!window.confirm(`Delete draft version ${version}?`)) return;
      await api('DELETE', paths.version(policy, version));
      notify(`Draft version ${version} deleted.`);
      location.hash = `#/policies/${encodeURIComponent(policy)}`;
    }));
    moves.push(h('div', {}, del));
  }
  fill(panel,
    h('h2', { text: 'Lifecycle' }),
    h('p', { text: `This version is ${v.state}.` + (v.state === 'live' ? ' Roll back from the policy page.' : '') }),
    h('ol', { class: 'muted', 'aria-label': 'States' }, ...['draft', 'shadow', 'final', 'live'].map((st) =>
      h('li', { text: st === v.state ? `${st} (now)` : st, 'aria-current': st === v.state ? 'step' : null }))),
    ...moves,
    v.state === 'shadow' || v.state === 'draft' ? h('h3', { text: 'Promotion gate' }) : null, verdict);
}

// gateView explains a verdict: the reasons, coverage with the nodes not yet hit, time in
// shadow, and the saved tests.
export function gateView(g) {
  const pct = (x) => `${Math.round(x * 100)}%`;
  const duration = (sec) => (sec < 120 ? `${Math.round(sec)} s` : sec < 7200 ? `${Math.round(sec / 60)} min` : `${(sec / 3600).toFixed(1)} h`);
  const c = g.coverage || {}, sh = g.shadow || {}, t = g.tests || {};
  return [
    h('p', { class: g.allowed ? 'verdict ok' : 'verdict no', text: g.allowed ? '✓ The gate allows promotion.' : '✗ The gate refuses promotion:' }),
    (g.reasons || []).length ? h('ul', { class: 'problems' }, ...g.reasons.map((r) => h('li', { text: r }))) : null,
    h('dl', { class: 'kpis' },
      kpi('Coverage', `${pct(c.ratio || 0)} of ${c.nodes || 0} nodes`, `${pct(c.required || 0)} required; ${c.shadow_runs || 0} shadow runs`),
      kpi('In shadow', duration(sh.for_s || 0), `${duration(sh.required_s || 0)} required`),
      kpi('Tests', `${t.passed || 0} of ${t.cases || 0} pass`, t.failed ? `${t.failed} failing` : '')),
    (c.unhit || []).length ? h('p', {}, h('strong', { text: 'Not hit yet: ' }), c.unhit.join(', ')) : null,
    ...(t.failures || []).map((f) => h('p', { class: 'problems', text: `${f.case}: ${(f.failures || []).join('; ')}` })),
  ];
}

function kpi(label, value, note) {
  return h('div', { class: 'kpi' }, h('dt', { text: label }), h('dd', {}, h('strong', { text: value }), note ? h('span', { class: 'muted', text: note }) : null));
}
