// chart.js: horizontal bar charts in SVG, each with a table of the same numbers for screen
// readers and for copying.
import { h, s, table } from './dom.js';

// bars draws rows [{label, value, note}] as bars scaled to the largest value.
export function bars(title, rows, { format = String, alt = false } = {}) {
  const LABEL = 220, BAR = 320, ROW = 22, PAD = 6;
  const max = Math.max(1e-9, ...rows.map((r) => r.value));
  const height = PAD * 2 + rows.length * ROW;
  // Scaled to the card's width by CSS; the view box keeps the proportions.
  const svg = s('svg', { class: 'chart', viewBox: `0 0 ${LABEL + BAR + 90} ${height}`, 'aria-hidden': 'true' });
  rows.forEach((r, i) => {
    const y = PAD + i * ROW;
    const w = Math.max(1, (r.value / max) * BAR);
    svg.append(
      s('text', { x: LABEL - 6, y: y + 15, 'text-anchor': 'end', text: r.label.length > 34 ? r.label.slice(0, 33) + '…' : r.label }, s('title', { text: r.label })),
      s('rect', { class: 'bar' + (alt ? ' alt' : ''), x: LABEL, y: y + 3, width: w, height: ROW - 6, rx: 2 }),
      s('text', { x: LABEL + w + 6, y: y + 15, text: format(r.value) + (r.note ? ' ' + r.note : '') }));
  });
  svg.append(s('line', { class: 'axis', x1: LABEL, x2: LABEL, y1: 0, y2: height }));
  return h('figure', { class: 'card' },
    h('figcaption', {}, h('h3', { text: title })),
    rows.length ? svg : h('p', { class: 'muted', text: 'No runs yet.' }),
    rows.length ? h('div', { class: 'sr-only' }, table(title, ['', 'value'], rows.map((r) => [r.label, format(r.value) + (r.note ? ' ' + r.note : '')]))) : null);
}
