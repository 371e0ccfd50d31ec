// Agent assist page: sign in with a token, open a conversation by case or conversation id,
// answer its waiting question on the customer's behalf. Everything shown is set with
// textContent, never parsed as HTML: the data comes from customers and back-end systems.

const $ = (id) => document.getElementById(id);
const store = window.sessionStorage;
let view = null;

function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'text') e.textContent = v;
    else if (v !== undefined && v !== null && v !== false) e.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children) e.append(c);
  return e;
}

function status(text, ok = false) {
  const s = $('status');
  s.hidden = !text;
  s.textContent = text || '';
  s.className = ok ? 'ok' : '';
}

async function api(method, path, body) {
  const res = await fetch('/v1/agent/' + path, {
    method,
    headers: { Authorization: 'Bearer ' + store.getItem('frontdesk.token'), 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const data = await res.json().catch(() => ({}));
  if (!res.ok) {
    if (res.status === 401) signOut();
    throw new Error((data.error && data.error.message) || `${method} ${path}: HTTP ${res.status}`);
  }
  return data;
}

function signedIn() {
  const token = store.getItem('frontdesk.token');
  $('signin').hidden = !!token;
  $('open').hidden = !token;
  $('signout').hidden = !token;
  const name = store.getItem('frontdesk.agent');
  $('who').textContent = token ? `Signed in${name ? ' as ' + name : ''}` : '';
  if (!token) $('conversation').hidden = true;
  return !!token;
}

function signOut() {
  store.removeItem('frontdesk.token');
  store.removeItem('frontdesk.agent');
  view = null;
  signedIn();
  $('token').focus();
}

// value renders a JSON value: objects as a table of their fields, the rest as text.
function value(v, caption) {
  if (v && typeof v === 'object' && !Array.isArray(v)) {
    const t = el('table');
    if (caption) t.append(el('caption', { text: caption }));
    for (const [k, x] of Object.entries(v)) {
      t.append(el('tr', {}, el('th', { scope: 'row', text: k }),
        el('td', { text: typeof x === 'object' && x !== null ? JSON.stringify(x) : String(x) })));
    }
    return t;
  }
  const p = el('p');
  if (caption) p.append(el('strong', { text: caption + ': ' }));
  p.append(v === null ? 'nothing found' : JSON.stringify(v));
  return p;
}

function fact(dl, name, v) {
  if (v === undefined || v === '' || v === null) return;
  dl.append(el('dt', { text: name }), el('dd', { text: String(v) }));
}

function render(v) {
  view = v;
  $('conversation').hidden = false;
  const facts = $('facts');
  facts.replaceChildren();
  fact(facts, 'Conversation', v.conversation_id);
  fact(facts, 'Case', v.case_id);
  fact(facts, 'Channel', v.channel);
  fact(facts, 'Customer', v.contact.customer_id || v.contact.email || v.contact.phone);
  if (v.intent) fact(facts, 'Intent', `${v.intent} (${(v.confidence || 0).toFixed(2)})`);
  if (v.policy) fact(facts, 'Policy', `${v.policy} version ${v.version || 0}`);
  fact(facts, 'Current node', v.waiting ? v.node : 'no run waits');

  const data = $('data');
  data.replaceChildren(...Object.keys(v.data).sort().map((k) => value(v.data[k], k)));
  if (!data.children.length) data.append(el('p', { class: 'hint', text: 'No data fetched yet.' }));
  const inputs = $('inputs');
  inputs.replaceChildren(...Object.keys(v.inputs).sort().map((k) => value(v.inputs[k], k)));
  if (!inputs.children.length) inputs.append(el('p', { class: 'hint', text: 'No answers yet.' }));
  $('path').replaceChildren(...v.path.map((n, i) =>
    el('li', { text: n, class: v.waiting && i === v.path.length - 1 ? 'current' : null })));
  $('replies').replaceChildren(...v.last_replies.map((r) => {
    const bits = [r.text];
    if (r.end) bits.push(`[ended: ${r.end.resolution}]`);
    if (r.handoff) bits.push(`[handed off to ${r.handoff.team}]`);
    return el('li', { text: bits.filter(Boolean).join(' ') });
  }));
  renderOptions(v);
}

// renderOptions builds the answer form: the question's choices or form fields, or, when no
// run waits, a way to start one.
async function renderOptions(v) {
  const form = $('answer');
  form.replaceChildren();
  const q = v.question;
  $('question').textContent = q ? q.text : (v.waiting ? `The run waits at ${v.node}.` : 'No run waits: start one for the customer.');
  if (q && q.error) form.append(el('p', { class: 'field-error', role: 'alert', text: q.error }));
  if (q && q.choices && q.choices.length) {
    for (const c of q.choices) {
      form.append(el('button', { type: 'submit', name: 'choice', value: c.value, text: c.label || c.value }));
    }
    return;
  }
  if (q && q.form && q.form.length) {
    for (const f of q.form) {
      const id = 'field-' + f.name;
      const input = el('input', { id, name: f.name, type: f.type === 'number' ? 'number' : 'text', required: !!f.required,
        maxlength: f.max || null, autocomplete: 'off' });
      checkPattern(input, f.pattern);
      form.append(el('label', { for: id, text: (f.label || f.name) + (f.required ? ' (required)' : '') }), input);
    }
    form.append(el('button', { type: 'submit', text: 'Send' }));
    return;
  }
  if (!v.waiting) {
    const intents = (await api('GET', 'intents').catch(() => ({ intents: [] }))).intents;
    form.append(el('label', { for: 'start-intent', text: 'Policy to start, by intent' }),
      el('select', { id: 'start-intent', name: 'intent' }, el('option', { value: '', text: 'recognize from the text' }),
        ...intents.map((i) => el('option', { value: i, text: i }))));
  }
  form.append(el('label', { for: 'free-text', text: 'What the customer says' }),
    el('input', { id: 'free-text', name: 'text', autocomplete: 'off' }),
    el('button', { type: 'submit', text: v.waiting ? 'Send' : 'Start' }));
}

// checkPattern checks a field against the policy's pattern as it is typed. The policy's
// patterns are Go (RE2) syntax, which the pattern attribute's unicode-sets mode would reject
// for such common forms as [0-9A-Z -]; the server checks again in any case.
function checkPattern(input, pattern) {
  if (!pattern) return;
  let re;
  try {
    re = new RegExp('^(?:' + pattern + ')$', 'u');
  } catch {
    return;
  }
  input.addEventListener('input', () =>
    input.setCustomValidity(input.value && !re.test(input.value) ? 'Does not match the expected format.' : ''));
}

async function open(kind, id) {
  status('');
  try {
    render(await api('GET', `${kind}/${encodeURIComponent(id)}`));
    history.replaceState(null, '', `#${kind}/${encodeURIComponent(id)}`);
    $('conv-title').focus();
  } catch (err) {
    status(err.message);
  }
}

// entryID makes an entry idempotent. crypto.randomUUID exists only on HTTPS and localhost;
// getRandomValues everywhere.
function entryID() {
  return Array.from(crypto.getRandomValues(new Uint8Array(12)), (b) => b.toString(16).padStart(2, '0')).join('');
}

async function answer(ev) {
  ev.preventDefault();
  const form = ev.target;
  if (!form.reportValidity()) return;
  const entry = { id: entryID(), agent: store.getItem('frontdesk.agent') || undefined,
    case_id: view.case_id || undefined, contact: view.contact };
  const q = view.question;
  if (ev.submitter && ev.submitter.name === 'choice') {
    entry.input = { choice: ev.submitter.value };
  } else if (q && q.form && q.form.length) {
    entry.input = Object.fromEntries(q.form.map((f) => [f.name, form.elements[f.name].value]));
  } else {
    if (form.elements.intent && form.elements.intent.value) entry.intent = form.elements.intent.value;
    if (form.elements.text.value.trim()) entry.text = form.elements.text.value.trim();
  }
  try {
    const res = await api('POST', `conversations/${encodeURIComponent(view.conversation_id)}/messages`, entry);
    render(res.view);
    status(`Sent as ${res.agent}.`, true);
  } catch (err) {
    status(err.message);
  }
}

$('signin').addEventListener('submit', (ev) => {
  ev.preventDefault();
  store.setItem('frontdesk.token', $('token').value);
  if ($('agent-name').value.trim()) store.setItem('frontdesk.agent', $('agent-name').value.trim());
  $('token').value = '';
  if (signedIn()) $('open-id').focus();
});
$('signout').addEventListener('click', signOut);
$('open').addEventListener('submit', (ev) => {
  ev.preventDefault();
  open(ev.target.elements.by.value, $('open-id').value.trim());
});
$('answer').addEventListener('submit', answer);
// The customer may answer meanwhile: reloading shows where the run stands now.
$('reload').addEventListener('click', () => view && open('conversations', view.conversation_id));
$('conv-title').tabIndex = -1;

if (signedIn()) {
  const [kind, id] = location.hash.slice(1).split('/');
  if ((kind === 'cases' || kind === 'conversations') && id) open(kind, decodeURIComponent(id));
}
