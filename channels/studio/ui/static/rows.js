// rows.js: an editable list of rows (conditions, choices, form fields, arguments), each a
// line of labelled inputs with a remove button, and an add button below.
import { h } from './dom.js';

let uid = 0;

// rows edits items (an array of objects, changed in place). columns: [{key, label, type}]
// where type is 'text' (default), 'number', 'checkbox' or 'target' (a select of targets()).
// onChange is called after every edit; structural edits re-render the list.
export function rows(title, kind, items, columns, { targets = () => [], onChange, blank = {} }) {
  const box = h('div', { class: 'rows ' + kind, role: 'group', 'aria-label': title });
  const draw = () => {
    box.replaceChildren(h('h4', { class: 'muted', text: title }));
    items.forEach((item, i) => {
      const line = h('div', {});
      for (const c of columns) {
        const id = `r${++uid}`;
        let input;
        if (c.type === 'target') {
          input = h('select', { id }, h('option', { value: '', text: '—' }),
            ...targets().map((t) => h('option', { value: t, text: t, selected: item[c.key] === t })));
        } else if (c.type === 'checkbox') {
          input = h('input', { id, type: 'checkbox', checked: !!item[c.key] });
        } else {
          input = h('input', { id, type: c.type === 'number' ? 'number' : 'text', value: item[c.key] ?? '', autocomplete: 'off' });
        }
        input.addEventListener(c.type === 'checkbox' || c.type === 'target' ? 'change' : 'input', () => {
          let value = c.type === 'checkbox' ? input.checked : input.value;
          if (c.type === 'number') value = input.value === '' ? undefined : Number(input.value);
          if (value === '' || value === false || value === undefined) delete item[c.key];
          else item[c.key] = value;
          onChange();
        });
        line.append(h('div', {}, h('label', { for: id, text: `${c.label} ${i + 1}` }), input));
      }
      line.append(h('button', { type: 'button', class: 'small danger', 'aria-label': `Remove ${title.toLowerCase()} ${i + 1}`, text: 'Remove',
        onclick: () => { items.splice(i, 1); draw(); onChange(); } }));
      box.append(line);
    });
    box.append(h('button', { type: 'button', class: 'small secondary', text: `Add ${title.toLowerCase().replace(/s$/, '')}`,
      onclick: () => { items.push({ ...blank }); draw(); onChange(); box.querySelector('div:last-of-type input, div:last-of-type select')?.focus(); } }));
  };
  draw();
  return box;
}

// mapRows turns a map {k: v} into rows [{key, value}] and gives a function that writes them
// back into the map (keys without a name are dropped).
export function mapRows(map) {
  const items = Object.entries(map || {}).map(([key, value]) => ({ key, value }));
  const toMap = () => {
    const out = {};
    for (const r of items) if (r.key) out[r.key] = r.value ?? '';
    return Object.keys(out).length ? out : undefined;
  };
  return [items, toMap];
}
