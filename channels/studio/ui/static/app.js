// app.js: sign-in and the routes of the Studio. Each route renders one view into <main>;
// views are modules exporting render(main, params, me).
import { api, paths, session } from './api.js';
import { h, showError } from './dom.js';
import * as policies from './policies.js';
import * as policyView from './policy.js';
import * as versionView from './version.js';
import * as experiments from './experiments.js';
import * as audit from './audit.js';
import * as keys from './keys.js';
import * as playground from './playground.js';

const routes = [
  [/^#\/policies\/([^/]+)\/versions\/([^/]+)(?:\/([a-z]+))?$/, versionView, (m) => ({ policy: decodeURIComponent(m[1]), version: decodeURIComponent(m[2]), tab: m[3] })],
  [/^#\/policies\/([^/]+)$/, policyView, (m) => ({ policy: decodeURIComponent(m[1]) })],
  [/^#\/experiments$/, experiments, () => ({})],
  [/^#\/audit$/, audit, () => ({})],
  [/^#\/keys$/, keys, () => ({})],
  [/^#\/playground$/, playground, () => ({})],
  [/^(#\/policies)?$/, policies, () => ({})],
];

const main = document.getElementById('view');
const signinForm = document.getElementById('signin');
let me = null;

async function route() {
  showError(null);
  if (!session.key) return signedOut();
  try {
    me = me || await api('GET', paths.me);
  } catch (err) {
    return signedOut(err);
  }
  document.getElementById('nav').hidden = false;
  document.getElementById('signout').hidden = false;
  document.getElementById('whoami').textContent = `${me.owner} (${me.role})`;
  document.getElementById('nav-keys').hidden = me.role !== 'admin';
  const hash = location.hash || '#/policies';
  for (const a of document.querySelectorAll('#nav a')) {
    if (hash.startsWith(a.getAttribute('href'))) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
  for (const [re, view, params] of routes) {
    const m = hash.match(re);
    if (!m) continue;
    main.replaceChildren(h('p', { class: 'muted', text: 'Loading…' }));
    try {
      await view.render(main, params(m), me);
    } catch (err) {
      main.replaceChildren(h('h1', { text: 'Something went wrong' }));
      showError(err);
    }
    const title = main.querySelector('h1');
    document.title = (title ? title.textContent + ' · ' : '') + 'Policy Studio';
    main.focus();
    return;
  }
  main.replaceChildren(h('h1', { text: 'Not found' }), h('p', {}, 'No such page. ', h('a', { href: '#/policies', text: 'Back to the policies' })));
}

function signedOut(err) {
  me = null;
  session.key = null;
  document.getElementById('nav').hidden = true;
  document.getElementById('signout').hidden = true;
  document.getElementById('whoami').textContent = '';
  main.replaceChildren(signinForm);
  if (err) showError(err);
  signinForm.querySelector('input').focus();
}

signinForm.addEventListener('submit', (ev) => {
  ev.preventDefault();
  const input = signinForm.querySelector('input');
  session.key = input.value.trim();
  input.value = '';
  route();
});
document.getElementById('signout').addEventListener('click', () => { signedOut(); });
window.addEventListener('studio:signout', (ev) => signedOut(ev.detail));
window.addEventListener('hashchange', route);
route();
