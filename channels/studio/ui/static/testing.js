// testing.js: simulate a version on a message, fixtures and inputs, see the trace and the path
// on the graph, save the simulation as a test case, and run the saved cases.
import { api, paths } from './api.js';
import { busy, field, fill, h, notify, table } from './dom.js';
import { render as drawGraph } from './graph.js';

const EXAMPLE = {
  message: { channel: 'webchat', text: '', contact: { customer_id: 'C-1001' } },
  hydrations: {},
  inputs: {},
  actions: {},
};

export async function render({ policy, version, v, me, panel }) {
  const { tests } = await api('GET', paths.tests(policy));
  const last = tests.length ? tests[tests.length - 1].case : EXAMPLE;
  const area = (id, label, value, hint) => {
    const t = h('textarea', { id, rows: 6, spellcheck: 'false' });
    t.value = JSON.stringify(value ?? {}, null, 2);
    return [t, field(label, t, hint)];
  };
  const [message, messageField] = area('sim-message', 'Message (JSON)', last.message);
  const [hydrations, hydrationsField] = area('sim-hydrations', 'Hydration fixtures (JSON)', last.hydrations, 'by hydration name; a missing one fails its fetch');
  const [inputs, inputsField] = area('sim-inputs', 'Inputs (JSON)', last.inputs, 'answers by ask node: a choice value or a form object');
  const [actions, actionsField] = area('sim-actions', 'Action results (JSON)', last.actions, 'by action name: {"output": ...} or {"error": "..."}');
  const run = h('button', { type: 'button', text: 'Simulate' });
  const result = h('div', { id: 'sim-result', 'aria-live': 'polite' });
  const graph = h('div', { class: 'graph' }, drawGraph(v.graph));
  const author = me.role !== 'viewer';

  const read = () => {
    const out = {};
    for (const [key, t] of [['message', message], ['hydrations', hydrations], ['inputs', inputs], ['actions', actions]]) {
      try {
        out[key] = JSON.parse(t.value || '{}');
        t.setCustomValidity('');
      } catch (err) {
        t.setCustomValidity('Not valid JSON');
        t.reportValidity();
        throw new Error(`${key} is not valid JSON: ${err.message}`);
      }
    }
    return out;
  };
  run.addEventListener('click', () => busy(run, async () => {
    const sim = read();
    const r = await api('POST', paths.simulate(policy, version), sim);
    graph.replaceChildren(drawGraph(v.graph, { path: r.path }));
    fill(result, ...simulation(r), author ? saveForm(policy, sim, r) : null);
  }));

  const runAll = h('button', { type: 'button', class: 'secondary', text: 'Run all saved cases' });
  const testResults = h('div', { 'aria-live': 'polite' });
  runAll.addEventListener('click', () => busy(runAll, async () => {
    const r = await api('POST', paths.runTests(policy, version));
    testResults.replaceChildren(
      h('p', { class: r.failed ? 'verdict no' : 'verdict ok', text: `${r.passed} of ${r.cases} cases passed` }),
      table('Test results', ['Case', 'Result', 'Failures'], r.results.map((x) => [x.case, x.passed ? 'passed' : 'failed', (x.failures || []).join('; ')])));
  }));

  fill(panel,
    h('h2', { text: 'Simulate' }),
    h('p', { class: 'muted', text: 'Runs the version offline: no plugin is called; hydrations come from the fixtures and actions from the results given.' }),
    h('div', { class: 'grid2' }, h('div', {}, messageField, inputsField), h('div', {}, hydrationsField, actionsField)),
    run, result, h('h3', { text: 'Path on the graph' }), graph,
    h('h2', { text: `Saved test cases (${tests.length})` }),
    tests.length ? table('Saved test cases', ['Case', 'Expected path', 'Expected outcome'],
      tests.map((t) => [t.name, ((t.case.expect || {}).path || []).join(' → '), (t.case.expect || {}).outcome || '']))
      : h('p', { class: 'muted', text: 'No saved test cases: the promotion gate needs at least one.' }),
    author && tests.length ? runAll : null, testResults);
}

function simulation(r) {
  const head = r.status === 'done' ? `Done: ${r.outcome}` : r.status === 'asking' ? `Asking at ${r.node}` : `Failed at ${r.node}: ${r.error || ''}`;
  return [
    h('p', { class: r.status === 'failed' ? 'verdict no' : 'verdict ok', text: head }),
    h('p', {}, h('strong', { text: 'Path: ' }), (r.path || []).join(' → ')),
    r.ask ? h('p', {}, h('strong', { text: 'Question: ' }), r.ask.text || '',
      r.ask.choices ? ` (choices: ${r.ask.choices.map((c) => c.value).join(', ')})` : '',
      r.ask.form ? ` (form: ${r.ask.form.map((f) => f.name).join(', ')})` : '') : null,
    (r.says || []).length ? h('p', {}, h('strong', { text: 'Says: ' }), r.says.join(' / ')) : null,
    h('h3', { text: 'Trace' }),
    table('Trace', ['Node', 'Kind', 'Next', 'Why', 'Fetches', 'Error'], (r.trace || []).map((e) => [
      e.node, e.kind, e.next || '', e.via || '', (e.fetches || []).map((f) => f.name + (f.error ? ' (failed)' : '')).join(', '), e.error || ''])),
    (r.actions || []).length ? h('div', {}, h('h3', { text: 'Actions' }),
      table('Actions', ['Node', 'Action', 'Arguments', 'Error'], r.actions.map((a) => [a.node, a.name, JSON.stringify(a.args || {}), a.error || '']))) : null,
  ];
}

// saveForm saves the simulation as a test case expecting what it did.
function saveForm(policy, sim, r) {
  const name = h('input', { id: 'case-name', required: true, autocomplete: 'off' });
  const save = h('button', { type: 'submit', text: 'Save as test case' });
  const form = h('form', { class: 'inline', 'aria-label': 'Save as test case' }, field('Test case name', name,
    `expects this path${r.status === 'done' ? ' and the outcome ' + r.outcome : ''}`), save);
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    if (!form.reportValidity()) return;
    busy(save, async () => {
      const expect = { path: r.path };
      if (r.status === 'done') expect.outcome = r.outcome;
      await api('PUT', paths.test(policy, name.value.trim()), { ...sim, expect });
      notify(`Test case "${name.value.trim()}" saved.`);
    });
  });
  return form;
}
