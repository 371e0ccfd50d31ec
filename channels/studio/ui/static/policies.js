// policies.js: the list of policies, and creating one.
import { api, paths } from './api.js';
import { badge, busy, field, fill, h, notify, table } from './dom.js';

const TEMPLATE = `policy: NAME
description: What the customer wants.
intents: [some_intent]
start: done
nodes:
  done:
    end: resolved
    say: "Done."
`;

export async function render(main, _params, me) {
  const { policies } = await api('GET', paths.policies);
  const rows = policies.map((p) => [
    h('a', { href: `#/policies/${encodeURIComponent(p.name)}`, text: p.name }),
    p.title || '', p.category || '', p.country || '', p.channel || '',
    p.latest ? h('span', {}, `v${p.latest} `, badge(p.latest_state)) : '',
    p.live ? `v${p.live}` : '—',
  ]);
  fill(main,
    h('h1', { text: 'Policies' }),
    h('section', { class: 'card', 'aria-label': 'All policies' },
      rows.length ? table('Policies', ['Name', 'Title', 'Category', 'Country', 'Channel', 'Latest', 'Live'], rows)
        : h('p', { class: 'muted', text: 'No policies yet.' })),
    me.role === 'viewer' ? null : createForm(main));
}

function createForm() {
  const name = h('input', { name: 'name', required: true, pattern: '[a-z0-9][a-z0-9_\\-]*', autocomplete: 'off' });
  const title = h('input', { name: 'title' });
  const description = h('input', { name: 'description' });
  const category = h('input', { name: 'category' });
  const country = h('input', { name: 'country', maxlength: 2 });
  const channel = h('input', { name: 'channel' });
  const body = h('textarea', { name: 'body', class: 'code', rows: 10 });
  body.value = TEMPLATE;
  name.addEventListener('input', () => { body.value = body.value.replace(/^policy: .*$/m, 'policy: ' + (name.value || 'NAME')); });
  const submit = h('button', { type: 'submit', text: 'Create policy with a draft' });
  const form = h('form', { class: 'card', 'aria-labelledby': 'new-policy' },
    h('h2', { id: 'new-policy', text: 'New policy' }),
    h('div', { class: 'grid2' },
      h('div', {}, field('Name (identifier, never changes)', name, 'lower case letters, digits and dashes'), field('Title', title), field('Description', description),
        field('Category', category), field('Country', country, 'two letters, empty for all'), field('Channel', channel, 'empty for all')),
      h('div', {}, field('First draft (YAML)', body))),
    submit);
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    busy(submit, async () => {
      const p = await api('POST', paths.policies, {
        name: name.value, title: title.value, description: description.value, category: category.value,
        country: country.value, channel: channel.value, body: body.value,
      });
      notify(`Policy ${p.name} created with draft version 1.`);
      location.hash = `#/policies/${encodeURIComponent(p.name)}`;
    });
  });
  return form;
}
