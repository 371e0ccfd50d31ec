// dom.js: building elements and telling the person what happened. Text is always set with
// textContent, never parsed as HTML: policy bodies and audit details are user input.

const SVG = 'http://www.w3.org/2000/svg';

function build(e, attrs, children) {
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'text') e.textContent = v;
    else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
    else e.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children) {
    if (c !== null && c !== undefined && c !== false) e.append(c);
  }
  return e;
}

// h creates an HTML element: h('button', {type: 'submit', onclick: f, text: 'Save'}, ...children).
export function h(tag, attrs, ...children) {
  return build(document.createElement(tag), attrs, children);
}

// s creates an SVG element.
export function s(tag, attrs, ...children) {
  return build(document.createElementNS(SVG, tag), attrs, children);
}

// fill replaces the children of parent, leaving out null, undefined and false (parts that
// depend on the role or the state).
export function fill(parent, ...children) {
  parent.replaceChildren(...children.filter((c) => c !== null && c !== undefined && c !== false));
}

// showError shows an error (or clears it with null) in the alert region.
export function showError(err) {
  const box = document.getElementById('status');
  box.hidden = !err;
  box.textContent = err ? (err.message || String(err)) : '';
}

// notify says briefly that something worked, in the polite live region.
export function notify(text) {
  const box = document.getElementById('notice');
  box.textContent = text;
  clearTimeout(notify.timer);
  notify.timer = setTimeout(() => { box.textContent = ''; }, 6000);
}

// field wraps a control with its label; the control gets an id when it has none.
let ids = 0;
export function field(label, control, hint) {
  if (!control.id) control.id = 'f' + (++ids);
  const parts = [h('label', { for: control.id, text: label }), control];
  if (hint) {
    const hintId = control.id + '-hint';
    control.setAttribute('aria-describedby', hintId);
    parts.push(h('small', { id: hintId, class: 'muted', text: hint }));
  }
  return h('div', {}, ...parts);
}

// table builds a table from column headings and rows of cells (strings or nodes).
export function table(caption, heads, rows, numeric = []) {
  return h('table', {},
    caption ? h('caption', { class: 'sr-only', text: caption }) : null,
    h('thead', {}, h('tr', {}, ...heads.map((x, i) => h('th', { scope: 'col', class: numeric.includes(i) ? 'num' : null, text: x })))),
    h('tbody', {}, ...rows.map((r) => h('tr', {}, ...r.map((c, i) =>
      h('td', { class: numeric.includes(i) ? 'num' : null }, typeof c === 'object' && c !== null ? c : String(c ?? '')))))));
}

// badge shows a version's state.
export function badge(state) {
  return h('span', { class: 'badge ' + state, text: state });
}

// when formats an RFC 3339 time for people.
export function when(t) {
  return t ? new Date(t).toLocaleString() : '';
}

// debounce calls f once calls stop for ms.
export function debounce(f, ms) {
  let timer;
  return (...a) => { clearTimeout(timer); timer = setTimeout(() => f(...a), ms); };
}

// busy disables a button while an action runs, and shows its error.
export async function busy(button, action) {
  button.disabled = true;
  showError(null);
  try {
    return await action();
  } catch (err) {
    showError(err);
    return undefined;
  } finally {
    button.disabled = false;
  }
}
