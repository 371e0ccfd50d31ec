// audit.js: the audit log, newest first, filtered by actor, action or subject; read-only.
import { api, paths } from './api.js';
import { field, h, showError, table, when } from './dom.js';

const ACTIONS = ['policy.create', 'policy.metadata', 'version.create', 'version.update', 'version.delete', 'version.state',
  'deploy.live', 'deploy.rollback', 'deploy.dev_import', 'test.put', 'test.delete', 'experiment.create', 'experiment.enable',
  'experiment.disable', 'key.create', 'key.revoke'];

export async function render(main) {
  const actor = h('input', { name: 'actor', autocomplete: 'off' });
  const action = h('select', { name: 'action' }, h('option', { value: '', text: 'any' }), ...ACTIONS.map((a) => h('option', { value: a, text: a })));
  const subject = h('input', { name: 'subject', autocomplete: 'off', placeholder: 'change-address@3' });
  const body = h('div', { 'aria-live': 'polite' });
  const more = h('button', { type: 'button', class: 'secondary', text: 'Older entries', hidden: true });
  let before = null;
  const load = async (append) => {
    const q = { limit: 50 };
    for (const [k, input] of [['actor', actor], ['action', action], ['subject', subject]]) if (input.value) q[k] = input.value;
    if (append && before) q.before_id = before;
    try {
      const r = await api('GET', paths.audit(q));
      const t = table('Audit log', ['When', 'Actor', 'Action', 'Subject', 'Details'],
        r.entries.map((e) => [when(e.at), e.actor, e.action, e.subject, details(e.details)]));
      if (append) body.querySelector('tbody').append(...t.querySelectorAll('tbody tr'));
      else body.replaceChildren(r.entries.length ? t : h('p', { class: 'muted', text: 'No entries.' }));
      before = r.next_before_id;
      more.hidden = !before || r.entries.length < q.limit;
    } catch (err) {
      showError(err);
    }
  };
  const form = h('form', { class: 'card inline', 'aria-label': 'Filter the audit log' },
    field('Actor', actor), field('Action', action), field('Subject', subject), h('button', { type: 'submit', text: 'Filter' }));
  form.addEventListener('submit', (ev) => { ev.preventDefault(); load(false); });
  more.addEventListener('click', () => load(true));
  main.replaceChildren(h('h1', { text: 'Audit log' }),
    h('p', { class: 'muted', text: 'Every change to policies, versions, deployments, experiments and keys, with who did it. Entries cannot be changed or deleted.' }),
    form, h('section', { class: 'card', 'aria-label': 'Entries' }, body, more));
  await load(false);
}

function details(d) {
  if (!d || typeof d !== 'object') return '';
  return Object.entries(d).map(([k, v]) => `${k}: ${typeof v === 'object' ? JSON.stringify(v) : v}`).join(', ');
}
