// editor.js: editing a draft (or shadow) version. The form-based node editor works on the
// policy as JSON (converted by /studio/api/decode and /encode); the YAML tab edits the text
// itself, comments included. Both validate as the person types, through the Studio API.
import { ApiError, api, paths } from './api.js';
import { busy, debounce, field, fill, h, notify } from './dom.js';
import { graphOf, render as drawGraph } from './graph.js';
import { mapRows, rows } from './rows.js';

const KINDS = ['decide', 'ask', 'do', 'call', 'end'];

export async function render(ctx) {
  const { policy, version, v, panel } = ctx;
  const state = { body: v.body, policy: null, selected: null, mode: 'form', dirty: false };
  try {
    state.policy = (await api('POST', paths.decode, { body: v.body })).policy;
    state.selected = state.policy.start;
  } catch (err) {
    if (!(err instanceof ApiError) || err.code !== 'invalid_policy') throw err;
    state.mode = 'text'; // a body the form cannot read is fixed as text
  }
  const problems = h('div', { id: 'problems', 'aria-live': 'polite' });
  const save = h('button', { type: 'button', text: 'Save draft' });
  const modeForm = h('input', { type: 'radio', name: 'mode', value: 'form', checked: state.mode === 'form', disabled: !state.policy });
  const modeText = h('input', { type: 'radio', name: 'mode', value: 'text', checked: state.mode === 'text' });
  const work = h('div', {});
  const preview = h('div', { class: 'graph', 'aria-label': 'Preview of the graph' });

  const showProblems = (list) => {
    if (!list || !list.length) {
      problems.replaceChildren(h('p', { class: 'valid', text: '✓ The policy compiles.' }));
      return;
    }
    problems.replaceChildren(h('p', { text: `${list.length} problem${list.length > 1 ? 's' : ''}:` }),
      h('ul', { class: 'problems' }, ...list.map((p) => h('li', {
        text: [p.line ? `line ${p.line}` : '', p.node ? `node ${p.node}` : ''].filter(Boolean).join(', ') + (p.line || p.node ? ': ' : '') + p.message,
      }))));
  };

  // check turns the form into YAML when needed, then validates the body.
  const check = debounce(async () => {
    try {
      if (state.mode === 'form') state.body = (await api('POST', paths.encode, { policy: state.policy })).body;
      const r = await api('POST', paths.validate, { body: state.body });
      showProblems(r.ok ? [] : r.problems);
    } catch (err) {
      if (err.problems) showProblems(err.problems);
      else showProblems([{ message: err.message }]);
    }
  }, 350);
  const changed = () => {
    state.dirty = true;
    if (state.mode === 'form') preview.replaceChildren(drawGraph(graphOf(state.policy), { selected: state.selected, onSelect: select }));
    check();
  };
  const select = (id) => {
    state.selected = id;
    drawWork();
    preview.replaceChildren(drawGraph(graphOf(state.policy), { selected: id, onSelect: select }));
    work.querySelector('#node-form input, #node-form select, #node-form textarea')?.focus();
  };
  const drawWork = () => {
    if (state.mode === 'text') {
      const text = h('textarea', { id: 'yaml', class: 'code', spellcheck: 'false', 'aria-describedby': 'problems' });
      text.value = state.body;
      text.addEventListener('input', () => { state.body = text.value; changed(); });
      work.replaceChildren(field('Policy (YAML)', text));
      preview.replaceChildren();
      return;
    }
    work.replaceChildren(formEditor(state, changed, select));
    preview.replaceChildren(drawGraph(graphOf(state.policy), { selected: state.selected, onSelect: select }));
  };
  const switchMode = async (mode) => {
    problems.replaceChildren();
    try {
      if (mode === 'form') state.policy = (await api('POST', paths.decode, { body: state.body })).policy;
      else state.body = (await api('POST', paths.encode, { policy: state.policy })).body;
      state.mode = mode;
    } catch (err) {
      (mode === 'form' ? modeText : modeForm).checked = true;
      showProblems(err.problems || [{ message: err.message }]);
      return;
    }
    drawWork();
  };
  modeForm.addEventListener('change', () => switchMode('form'));
  modeText.addEventListener('change', () => switchMode('text'));
  save.addEventListener('click', () => busy(save, async () => {
    if (state.mode === 'form') state.body = (await api('POST', paths.encode, { policy: state.policy })).body;
    try {
      await api('PUT', paths.version(policy, version), { body: state.body });
    } catch (err) {
      if (err.problems) showProblems(err.problems);
      throw err;
    }
    state.dirty = false;
    v.body = state.body;
    notify(`Version ${version} saved.`);
  }));

  fill(panel,
    h('h2', { text: `Edit version ${version}` }),
    v.state === 'shadow' ? h('p', { class: 'muted', text: 'This version is in shadow: saving it restarts its coverage count for the promotion gate.' }) : null,
    h('fieldset', { class: 'inline' }, h('legend', { text: 'Edit as' }),
      h('label', {}, modeForm, 'form'), h('label', {}, modeText, 'YAML text (keeps comments)')),
    problems, work,
    h('h3', { text: 'Graph' }), preview,
    save);
  drawWork();
  check();
}

// formEditor builds the policy-level fields, the node list and the selected node's form.
function formEditor(state, changed, select) {
  const p = state.policy;
  p.nodes = p.nodes || {};
  const ids = () => Object.keys(p.nodes).sort();
  const start = h('select', { id: 'start' }, ...ids().map((id) => h('option', { value: id, text: id, selected: id === p.start })));
  start.addEventListener('change', () => { p.start = start.value; changed(); });
  const description = h('input', { id: 'description', value: p.description || '' });
  description.addEventListener('input', () => { p.description = description.value || undefined; changed(); });
  const intents = h('input', { id: 'intents', value: (p.intents || []).join(', ') });
  intents.addEventListener('input', () => {
    const list = intents.value.split(',').map((x) => x.trim()).filter(Boolean);
    p.intents = list.length ? list : undefined;
    changed();
  });
  const hydrations = h('textarea', { id: 'hydrations', rows: 6, spellcheck: 'false' });
  hydrations.value = JSON.stringify(p.hydrations || {}, null, 2);
  hydrations.addEventListener('input', () => {
    try {
      const v = JSON.parse(hydrations.value);
      p.hydrations = Object.keys(v).length ? v : undefined;
      hydrations.setCustomValidity('');
      changed();
    } catch {
      hydrations.setCustomValidity('Not valid JSON');
      hydrations.reportValidity();
    }
  });

  const newId = h('input', { id: 'new-node', pattern: '[a-z_][a-z0-9_]*', autocomplete: 'off' });
  const newKind = h('select', { id: 'new-kind' }, ...KINDS.map((k) => h('option', { value: k, text: k })));
  const add = h('button', { type: 'button', class: 'small', text: 'Add node' });
  add.addEventListener('click', () => {
    const id = newId.value.trim();
    if (!id || !newId.checkValidity() || p.nodes[id]) {
      newId.setCustomValidity(p.nodes[id] ? 'A node with this name exists' : 'Use lower case letters, digits and _');
      newId.reportValidity();
      return;
    }
    newId.setCustomValidity('');
    p.nodes[id] = emptyNode(newKind.value);
    changed();
    select(id);
  });
  const list = h('ul', { class: 'nodelist', 'aria-label': 'Nodes' }, ...ids().map((id) => h('li', {},
    h('button', { type: 'button', 'aria-current': String(id === state.selected), text: id, onclick: () => select(id) }))));

  const node = p.nodes[state.selected];
  return h('div', {},
    h('div', { class: 'grid2' },
      h('div', {}, field('Description', description), field('Intents', intents, 'comma-separated'), field('Start node', start)),
      h('div', {}, field('Hydrations (JSON)', hydrations, 'name → {plugin, call, args}'))),
    h('div', { class: 'editor' },
      h('nav', { 'aria-label': 'Nodes of the policy' }, list,
        h('div', {}, field('New node name', newId), field('Kind', newKind), add)),
      node ? nodeForm(p, state.selected, node, ids, changed, () => { delete p.nodes[state.selected]; changed(); select(p.start); }, select)
        : h('p', { class: 'muted', text: 'Choose a node to edit it.' })));
}

function emptyNode(kind) {
  switch (kind) {
    case 'decide': return { decide: [{ when: 'true', goto: '' }, { else: '' }] };
    case 'ask': return { ask: { text: '', choices: [{ value: 'yes', goto: '' }] } };
    case 'do': return { do: 'handoff', args: {}, goto: '' };
    case 'call': return { call: '', goto: '' };
    default: return { end: 'resolved' };
  }
}

// nodeForm edits one node by its kind.
function nodeForm(p, id, n, ids, changed, remove, select) {
  const kind = KINDS.find((k) => n[k] !== undefined && n[k] !== '') || 'end';
  const targets = () => ids().filter((x) => x !== id);
  const text = (label, obj, key, hint, after = changed) => {
    const input = h('input', { value: obj[key] ?? '', autocomplete: 'off' });
    input.addEventListener('input', () => { if (input.value) obj[key] = input.value; else delete obj[key]; after(); });
    return field(label, input, hint);
  };
  const target = (label, obj, key) => {
    const sel = h('select', {}, h('option', { value: '', text: '—' }), ...targets().map((t) => h('option', { value: t, text: t, selected: obj[key] === t })));
    sel.addEventListener('change', () => { if (sel.value) obj[key] = sel.value; else delete obj[key]; changed(); });
    return field(label, sel);
  };
  const map = (title, obj, key, keyLabel, valueLabel, after = changed) => {
    const [items, toMap] = mapRows(obj[key]);
    return rows(title, 'kv', items, [{ key: 'key', label: keyLabel }, { key: 'value', label: valueLabel }],
      { onChange: () => { obj[key] = toMap(); if (!obj[key]) delete obj[key]; after(); } });
  };
  // voiceFields edits the spoken form of a question: what is said and which phone keys mean
  // which choice; an empty voice section is left out of the policy.
  const voiceFields = (ask) => {
    const voice = ask.voice || {};
    const after = () => {
      if (Object.keys(voice).length) ask.voice = voice;
      else delete ask.voice;
      changed();
    };
    return h('div', { role: 'group', 'aria-label': 'Voice' },
      text('Voice: say', voice, 'say', 'read out on calls instead of the text and choices', after),
      map('Voice keys', voice, 'dtmf', 'Key', 'Choice value', after));
  };
  const parts = [h('h3', {}, `Node `, h('code', { text: id }), ` (${kind})`), text('Description', n, 'description')];
  switch (kind) {
    case 'decide':
      if (Array.isArray(n.decide)) {
        const conds = n.decide.filter((c) => !c.else);
        const last = n.decide.find((c) => c.else) || {};
        const sync = () => { n.decide = [...conds, ...(last.else ? [{ else: last.else }] : [])]; changed(); };
        parts.push(rows('Conditions', 'cond', conds, [{ key: 'when', label: 'When' }, { key: 'goto', label: 'Go to', type: 'target' }],
          { targets, onChange: sync, blank: { when: '' } }));
        const sel = target('Otherwise go to', last, 'else');
        sel.querySelector('select').addEventListener('change', sync);
        parts.push(sel);
      } else {
        parts.push(text('Executor', n.decide, 'executor'), map('Branches', n.decide, 'branches', 'Branch', 'Go to node'),
          map('Selected values', n.decide, 'select', 'Name', 'Expression'), target('Otherwise go to', n.decide, 'else'));
      }
      break;
    case 'ask':
      n.ask.choices = n.ask.choices || [];
      n.ask.form = n.ask.form || [];
      parts.push(text('Question', n.ask, 'text'),
        rows('Choices', 'choice', n.ask.choices, [{ key: 'value', label: 'Value' }, { key: 'label', label: 'Label' }, { key: 'goto', label: 'Go to', type: 'target' }],
          { targets, onChange: () => changed(), blank: { value: '' } }),
        rows('Form fields', 'field', n.ask.form, [{ key: 'name', label: 'Name' }, { key: 'label', label: 'Label' }, { key: 'type', label: 'Type' },
          { key: 'required', label: 'Required', type: 'checkbox' }, { key: 'max', label: 'Max', type: 'number' }, { key: 'pattern', label: 'Pattern' }],
        { onChange: () => changed(), blank: { name: '' } }),
        target('After a form or free text, go to', n.ask, 'goto'),
        voiceFields(n.ask));
      break;
    case 'do':
      parts.push(text('Action', n, 'do', 'such as crm.AssignCase, handoff, otp.verify'), map('Arguments', n, 'args', 'Name', 'Expression'),
        target('Then go to', n, 'goto'), target('On error go to', n, 'on_error'), text('Say', n, 'say'));
      break;
    case 'call':
      parts.push(text('Policy to call', n, 'call'), target('Then go to', n, 'goto'), target('On error go to', n, 'on_error'));
      break;
    default: {
      const csat = h('input', { type: 'checkbox', checked: !!n.csat });
      csat.addEventListener('change', () => { if (csat.checked) n.csat = true; else delete n.csat; changed(); });
      parts.push(text('Resolution', n, 'end'), text('Say', n, 'say'), h('label', { class: 'inline' }, csat, 'Ask for a satisfaction score (CSAT)'));
    }
  }
  const newName = h('input', { pattern: '[a-z_][a-z0-9_]*', autocomplete: 'off', value: id });
  const rename = h('button', { type: 'button', class: 'small secondary', text: 'Rename' });
  rename.addEventListener('click', () => {
    const to = newName.value.trim();
    if (to === id) return;
    if (!to || !newName.checkValidity() || p.nodes[to]) {
      newName.setCustomValidity(p.nodes[to] ? 'A node with this name exists' : 'Use lower case letters, digits and _');
      newName.reportValidity();
      return;
    }
    renameNode(p, id, to);
    changed();
    select(to);
  });
  parts.push(h('div', { class: 'inline' }, field('New name (every reference follows)', newName), rename),
    h('button', { type: 'button', class: 'danger', text: `Delete node ${id}`, onclick: remove, disabled: id === p.start }));
  return h('div', { id: 'node-form', role: 'group', 'aria-label': `Node ${id}` }, ...parts);
}

// renameNode renames a node and every reference to it: the start, gotos, else and error
// targets, choices and executor branches.
function renameNode(p, from, to) {
  const nodes = {};
  for (const [id, n] of Object.entries(p.nodes)) nodes[id === from ? to : id] = n;
  p.nodes = nodes;
  if (p.start === from) p.start = to;
  const fix = (obj, key) => { if (obj && obj[key] === from) obj[key] = to; };
  for (const n of Object.values(nodes)) {
    fix(n, 'goto');
    fix(n, 'on_error');
    if (Array.isArray(n.decide)) n.decide.forEach((c) => { fix(c, 'goto'); fix(c, 'else'); });
    else if (n.decide) {
      fix(n.decide, 'else');
      for (const k of Object.keys(n.decide.branches || {})) fix(n.decide.branches, k);
    }
    if (n.ask) {
      fix(n.ask, 'goto');
      (n.ask.choices || []).forEach((c) => fix(c, 'goto'));
    }
  }
}
