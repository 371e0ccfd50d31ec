// keys.js: API keys, for admins: who holds one and with which role, a new key (its secret is
// shown once, here), and revoking one, which takes effect at once.
import { api, paths } from './api.js';
import { busy, field, fill, h, notify, table, when } from './dom.js';

const ROLES = ['viewer', 'author', 'publisher', 'admin'];

export async function render(main, params, me) {
  if (me.role !== 'admin') {
    fill(main, h('h1', { text: 'API keys' }), h('p', { text: 'Only admins manage API keys.' }));
    return;
  }
  const { keys } = await api('GET', paths.keys);
  const refresh = () => render(main, params, me);
  const revoke = (k) => {
    const b = h('button', { type: 'button', class: 'small danger', text: 'Revoke', 'aria-label': `Revoke key ${k.id}` });
    b.addEventListener('click', () => busy(b, async () => {
      if (!window.confirm(`Revoke key ${k.id} of ${k.owner}? It stops working at once.`)) return;
      await api('DELETE', paths.key(k.id));
      notify(`Key ${k.id} revoked.`);
      await refresh();
    }));
    return b;
  };
  const id = h('input', { required: true, autocomplete: 'off', pattern: '[A-Za-z0-9._\\-]+' });
  const owner = h('input', { required: true, autocomplete: 'off', type: 'email' });
  const role = h('select', {}, ...ROLES.map((r) => h('option', { value: r, text: r, selected: r === 'author' })));
  const submit = h('button', { type: 'submit', text: 'Create key' });
  const secret = h('div', { 'aria-live': 'polite' });
  const form = h('form', { class: 'card', 'aria-labelledby': 'new-key' },
    h('h2', { id: 'new-key', text: 'New key' }),
    h('div', { class: 'inline' }, field('Key id', id, 'names the key in lists and the audit log'), field('Owner', owner, 'the person, as the audit log names them'), field('Role', role)),
    submit, secret);
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    if (!form.reportValidity()) return;
    busy(submit, async () => {
      const k = await api('POST', paths.keys, { id: id.value.trim(), owner: owner.value.trim(), role: role.value });
      const value = h('input', { readonly: true, value: k.secret, class: 'mono', id: 'new-secret' });
      fill(secret, h('p', { class: 'verdict ok', text: `Key ${k.id} created for ${k.owner} (${k.role}). Copy its secret now: it is not shown again.` }),
        field('Secret', value));
      value.select();
    });
  });
  fill(main, h('h1', { text: 'API keys' }),
    h('section', { class: 'card', 'aria-label': 'All keys' },
      table('API keys', ['Id', 'Owner', 'Role', 'Created', 'Revoked', ''], keys.map((k) => [
        k.id, k.owner, k.role, when(k.created_at), k.revoked_at ? when(k.revoked_at) : '', k.revoked_at ? '' : revoke(k)]))),
    form);
}
