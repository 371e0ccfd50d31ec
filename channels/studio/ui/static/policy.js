// policy.js: one policy: its metadata, its versions, a new draft, and rolling back.
import { api, paths } from './api.js';
import { badge, busy, field, h, notify, table, when } from './dom.js';

const META = ['title', 'description', 'category', 'country', 'channel'];

export async function render(main, { policy }, me) {
  const p = await api('GET', paths.policy(policy));
  const may = (role) => ['viewer', 'author', 'publisher', 'admin'].indexOf(me.role) >= ['viewer', 'author', 'publisher', 'admin'].indexOf(role);
  const versions = [...p.versions].sort((a, b) => b.version - a.version);
  const link = (v) => h('a', { href: `#/policies/${encodeURIComponent(policy)}/versions/${v.version}`, text: `Version ${v.version}` });
  main.replaceChildren(
    h('p', {}, h('a', { href: '#/policies', text: '← Policies' })),
    h('h1', { text: `${p.title || p.name}` }),
    h('p', { class: 'muted' }, h('code', { text: p.name }), p.live ? ` · live: version ${p.live}` : ' · nothing live',
      p.experiment ? h('span', {}, ' · experiment ', h('a', { href: '#/experiments', text: p.experiment })) : null),
    h('section', { class: 'card', 'aria-labelledby': 'versions-title' },
      h('h2', { id: 'versions-title', text: 'Versions' }),
      versions.length ? table('Versions', ['Version', 'State', 'Author', 'Created', 'Updated', 'State since'],
        versions.map((v) => [link(v), badge(v.state), v.author || '', when(v.created_at), when(v.updated_at), when(v.state_changed_at)]))
        : h('p', { class: 'muted', text: 'No versions yet.' }),
      may('author') && versions.length ? newDraft(policy, versions) : null,
      may('publisher') ? rollback(policy, p, versions) : null),
    metadata(policy, p, may('author')));
}

// newDraft copies a version's body into a new draft.
function newDraft(policy, versions) {
  const from = h('select', {}, ...versions.map((v) => h('option', { value: v.version, text: `version ${v.version} (${v.state})` })));
  const button = h('button', { type: 'button', text: 'New draft from it' });
  button.addEventListener('click', () => busy(button, async () => {
    const src = await api('GET', paths.version(policy, from.value));
    const v = await api('POST', paths.versions(policy), { body: src.body });
    notify(`Draft version ${v.version} created from version ${from.value}.`);
    location.hash = `#/policies/${encodeURIComponent(policy)}/versions/${v.version}/edit`;
  }));
  return h('div', { class: 'inline' }, field('Copy a version into a new draft', from), button);
}

function rollback(policy, p, versions) {
  const finals = versions.filter((v) => v.state === 'final');
  if (!p.live || !finals.length) return null;
  const to = h('select', {}, ...finals.map((v) => h('option', { value: v.version, text: `version ${v.version}` })));
  const button = h('button', { type: 'button', class: 'danger', text: 'Roll back live' });
  button.addEventListener('click', () => busy(button, async () => {
    const r = await api('POST', paths.rollback(policy), { to: Number(to.value) });
    notify(`Rolled back: version ${r.live} is live (was ${r.previous}).`);
    location.reload();
  }));
  return h('div', { class: 'inline' }, field(`Roll back live version ${p.live} to`, to), button);
}

function metadata(policy, p, editable) {
  const inputs = Object.fromEntries(META.map((k) => [k, h('input', { name: k, value: p[k] || '', readonly: !editable })]));
  const save = h('button', { type: 'submit', text: 'Save details' });
  const form = h('form', { class: 'card', 'aria-labelledby': 'meta-title' },
    h('h2', { id: 'meta-title', text: 'Details' }),
    h('div', { class: 'grid2' }, ...META.map((k) => field(k[0].toUpperCase() + k.slice(1), inputs[k]))),
    editable ? save : null);
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    busy(save, async () => {
      const patch = {};
      for (const k of META) if (inputs[k].value !== (p[k] || '')) patch[k] = inputs[k].value;
      Object.assign(p, await api('PATCH', paths.policy(policy), patch));
      notify('Details saved.');
    });
  });
  return form;
}
