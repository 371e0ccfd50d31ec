// playground.js: the executor playground: run a WebAssembly executor once on a JSON input and
// see its branch, variables, logs and what each phase cost, before a policy uses it.
import { api, paths } from './api.js';
import { busy, field, fill, h, table } from './dom.js';

const EXAMPLE = { policy: 'fee-dispute', node: 'eligible', channel: 'webchat', data: { fee: 7.5, minutes_since_booking: 3, driver_late: false } };

export async function render(main) {
  const module = h('input', { type: 'file', accept: '.wasm,application/wasm', required: true });
  const input = h('textarea', { rows: 10, spellcheck: 'false' });
  input.value = JSON.stringify(EXAMPLE, null, 2);
  const run = h('button', { type: 'submit', text: 'Run' });
  const result = h('div', { 'aria-live': 'polite' });
  const form = h('form', { class: 'card', 'aria-labelledby': 'pg-title' },
    h('h2', { id: 'pg-title', text: 'Run an executor once' }),
    field('Executor module (.wasm)', module),
    field('Input (JSON)', input, '{node, policy, channel, input, vars, data}, as the executor receives it'),
    run);
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    if (!form.reportValidity()) return;
    busy(run, async () => {
      let parsed;
      try {
        parsed = JSON.parse(input.value);
      } catch (err) {
        throw new Error('The input is not valid JSON: ' + err.message);
      }
      const bytes = new Uint8Array(await module.files[0].arrayBuffer());
      const r = await api('POST', paths.playground, { module: base64(bytes), input: parsed });
      fill(result, ...report(r));
    });
  });
  fill(main, h('h1', { text: 'Executor playground' }),
    h('p', { class: 'muted', text: 'The module runs in a fresh sandbox with the limits of production: a deadline, a memory cap, no files or network.' }),
    form, result);
}

function report(r) {
  const ms = (ns) => `${((ns || 0) / 1e6).toFixed(2)} ms`;
  return [
    h('p', { class: r.error ? 'verdict no' : 'verdict ok', text: r.error ? `Error: ${r.error}` : `Branch: ${r.branch || '(none)'}` }),
    table('Report', ['Measure', 'Value'], [
      ['Variables', JSON.stringify(r.vars || {})], ['Mode', r.mode || ''], ['Compile', ms(r.compile_ns)],
      ['Instantiate', ms(r.instantiate_ns)], ['Call', ms(r.call_ns)], ['Memory', `${Math.round((r.memory_bytes || 0) / 1024)} KiB`]]),
    (r.logs || []).length ? h('div', {}, h('h3', { text: 'Logs' }), h('pre', { text: r.logs.map((l) => JSON.stringify(l)).join('\n') })) : null,
  ];
}

// base64 encodes bytes in chunks: String.fromCharCode takes only so many arguments.
function base64(bytes) {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}
