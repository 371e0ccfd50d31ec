// experiments.js: experiments map segments of contacts (hash buckets 0..99, countries,
// channels) to final versions of a policy; create, enable and disable them.
import { api, paths } from './api.js';
import { busy, field, fill, h, notify, table, when } from './dom.js';
import { rows } from './rows.js';

export async function render(main, _params, me) {
  const [{ experiments }, { policies }] = await Promise.all([api('GET', paths.experiments()), api('GET', paths.policies)]);
  const publisher = me.role === 'publisher' || me.role === 'admin';
  const toggle = (x) => {
    const b = h('button', { type: 'button', class: 'small' + (x.enabled ? ' danger' : ''), text: x.enabled ? 'Disable' : 'Enable' });
    b.addEventListener('click', () => busy(b, async () => {
      await api('POST', paths.experiment(x.name) + (x.enabled ? '/disable' : '/enable'), {});
      notify(`Experiment ${x.name} ${x.enabled ? 'disabled' : 'enabled'}.`);
      await render(main, _params, me);
    }));
    return b;
  };
  fill(main,
    h('h1', { text: 'Experiments' }),
    h('section', { class: 'card', 'aria-label': 'All experiments' },
      experiments.length ? table('Experiments', ['Name', 'Policy', 'Arms', 'Enabled', 'Created', ''], experiments.map((x) => [
        x.name, h('a', { href: `#/policies/${encodeURIComponent(x.policy)}`, text: x.policy }),
        x.arms.map(arm).join('; '), x.enabled ? 'yes' : 'no', `${when(x.created_at)} by ${x.created_by || ''}`, publisher ? toggle(x) : '']))
        : h('p', { class: 'muted', text: 'No experiments yet.' })),
    publisher ? createForm(main, policies, () => render(main, _params, me)) : null);
}

function arm(a) {
  const parts = [`v${a.version}: buckets ${a.from}–${a.to - 1}`];
  if ((a.countries || []).length) parts.push('countries ' + a.countries.join(', '));
  if ((a.channels || []).length) parts.push('channels ' + a.channels.join(', '));
  return parts.join(', ');
}

function createForm(main, policies, refresh) {
  const name = h('input', { required: true, pattern: '[a-z0-9][a-z0-9_\\-]*', autocomplete: 'off' });
  const policy = h('select', { required: true }, ...policies.map((p) => h('option', { value: p.name, text: p.name })));
  const finals = h('p', { class: 'muted' });
  const showFinals = async () => {
    const p = await api('GET', paths.policy(policy.value));
    const ok = p.versions.filter((v) => v.state === 'final' || v.state === 'live').map((v) => `${v.version} (${v.state})`);
    finals.textContent = ok.length ? `Versions that can serve: ${ok.join(', ')}` : 'This policy has no final version yet: promote one first.';
  };
  policy.addEventListener('change', showFinals);
  if (policies.length) showFinals();
  const arms = [{ version: '', from: 0, to: 50 }, { version: '', from: 50, to: 100 }];
  const armRows = rows('Arms', 'arm', arms, [
    { key: 'version', label: 'Version', type: 'number' }, { key: 'from', label: 'From bucket', type: 'number' }, { key: 'to', label: 'To bucket (excl.)', type: 'number' },
    { key: 'countries', label: 'Countries' }, { key: 'channels', label: 'Channels' }], { onChange: () => {}, blank: { from: 0, to: 100 } });
  const submit = h('button', { type: 'submit', text: 'Create experiment' });
  const form = h('form', { class: 'card', 'aria-labelledby': 'new-exp' },
    h('h2', { id: 'new-exp', text: 'New experiment' }),
    h('p', { class: 'muted', text: 'A contact falls in bucket 0–99 by a stable hash of the experiment and the contact. Arms are tried in order; a contact no arm takes gets the live version. Countries and channels are comma-separated; empty means all.' }),
    h('div', { class: 'grid2' }, field('Name', name, 'lower case letters, digits and dashes'), field('Policy', policy)),
    finals, armRows, submit);
  const list = (x) => (x || '').split(',').map((y) => y.trim()).filter(Boolean);
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    if (!form.reportValidity()) return;
    busy(submit, async () => {
      await api('POST', paths.experiments(), {
        name: name.value, policy: policy.value,
        arms: arms.map((a) => ({ version: Number(a.version), from: Number(a.from ?? 0), to: Number(a.to ?? 100), countries: list(a.countries), channels: list(a.channels) })),
      });
      notify(`Experiment ${name.value} created (disabled).`);
      await refresh();
    });
  });
  return form;
}
