// A publisher takes change-address from a new draft through shadow to live on a running
// frontdesk: copies the live version into a draft, changes a text in the form editor, saves a
// test case from a simulation, moves the draft to shadow, runs the traffic simulator of
// examples/studio (conversations the shadow version runs beside the live one), promotes it
// once the gate allows, deploys it, reads its analytics, sets up an experiment, tries an
// executor in the playground, and reads the audit trail of what they did.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { checkPage, notice, saveHappyPath, visible } from './steps.mjs';

export default async function ({ page, baseURL, artifacts, env }) {
  const shot = (name) => page.screenshot({ path: `${artifacts}/${name}.png`, fullPage: true });
  // traffic runs examples/studio, the traffic simulator: conversations of random customers
  // answering at random, which the shadow version runs beside the live one.
  let seed = 1;
  const traffic = (n) => {
    // Its progress (stderr) is left out; its summary (stdout) goes to the test's output.
    const out = execFileSync(env.TRAFFIC, ['-url', baseURL, '-intent', 'change_address', '-n', String(n), '-seed', String(seed++)],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    console.log(out.trim());
  };

  await page.goto(baseURL + '/studio');
  await page.getByLabel('API key').fill(env.KEY);
  await page.keyboard.press('Enter');
  await visible(page.getByRole('heading', { name: 'Policies' }), 'the policies page');
  await page.getByRole('link', { name: 'change-address' }).click();
  await checkPage(page, 'policy');
  await shot('01-policy');

  // A new draft from the live version.
  const from = page.getByLabel('Copy a version into a new draft');
  const live = (await from.locator('option').allTextContents()).find((t) => t.includes('(live)'));
  if (!live) throw new Error('no live version to copy');
  await from.selectOption({ label: live });
  await page.getByRole('button', { name: 'New draft from it' }).click();
  await visible(page.locator('h1 .badge.draft'), 'the new draft');
  const version = (await page.locator('h1').textContent()).match(/version (\d+)/)[1];

  await page.getByRole('navigation', { name: 'Nodes of the policy' }).getByRole('button', { name: 'done', exact: true }).click();
  await page.locator('#node-form').getByLabel('Say').fill('Thanks. A colleague approves the new address within a day.');
  await visible(page.getByText('✓ The policy compiles.'), 'the validation');
  await page.getByRole('button', { name: 'Save draft' }).click();
  await notice(page, `Version ${version} saved.`);
  await shot('02-draft');

  await saveHappyPath(page);

  await page.getByRole('tab', { name: 'Lifecycle' }).click();
  await page.getByRole('button', { name: 'Move to shadow' }).click();
  await visible(page.locator('h1 .badge.shadow'), 'the shadow state');
  await shot('03-shadow-before-traffic');

  // Customers arrive; the shadow version runs beside the live one until the gate allows.
  for (let round = 0; ; round++) {
    traffic(12);
    await page.reload();
    await visible(page.locator('#gate p.verdict'), 'the verdict');
    if (await page.getByText('✓ The gate allows promotion.').count()) break;
    if (round === 10) throw new Error('the gate still refuses: ' + await page.locator('#gate').textContent());
    await page.waitForTimeout(500);
  }
  await shot('04-gate-allows');
  await page.getByRole('button', { name: 'Promote to final' }).click();
  await visible(page.locator('h1 .badge.final'), 'the final state');
  await page.getByRole('button', { name: 'Deploy live' }).click();
  await visible(page.locator('h1 .badge.live'), 'the live state');
  await shot('05-live');

  // The new live version serves; its analytics show the runs and the node hits.
  // Runs count once they end; conversations the simulator leaves waiting for a code do not.
  await page.getByRole('tab', { name: 'Analytics' }).click();
  for (let round = 0; !(await page.getByRole('heading', { name: 'Live runs' }).count()); round++) {
    if (round === 5) throw new Error('no live run of the new version ended');
    traffic(8);
    await page.reload();
    await visible(page.getByRole('heading', { name: /^Analytics of version/ }), 'the analytics tab');
    await page.getByRole('heading', { name: 'Live runs' }).or(page.getByText('No runs of this version')).first().waitFor();
  }
  await visible(page.getByRole('heading', { name: 'Shadow runs' }), 'the shadow runs');
  await visible(page.locator('svg [aria-label^="check, decide, start, "]'), 'node hits on the graph');
  await checkPage(page, 'analytics');
  await shot('06-analytics');
  // The export is the API's CSV.
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export CSV' }).click()]);
  const csv = readFileSync(await download.path(), 'utf8');
  if (!csv.startsWith('policy,version,shadow,metric,key,value') || !csv.includes(`change-address,${version},`)) {
    throw new Error('the CSV export is not the analytics of the version:\n' + csv.slice(0, 300));
  }
  // A period with no runs says so.
  await page.getByLabel('Since').fill('2099-01-01T00:00');
  await page.getByRole('button', { name: 'Apply' }).click();
  await visible(page.getByText('No runs of this version in this period.'), 'the empty period');
  await page.getByRole('tab', { name: 'Graph' }).click();
  await page.getByLabel('Hits from').selectOption('true');
  await visible(page.locator('svg [data-node="confirm"]'), 'the graph with shadow hits');
  await shot('07-graph-shadow-hits');

  // An experiment: half the contacts on the new version, half on the one it replaced.
  await page.getByRole('link', { name: 'Experiments' }).click();
  await page.getByLabel(/^Name/).fill('addr-wording');
  await page.getByLabel('Policy', { exact: true }).selectOption('change-address');
  await visible(page.getByText(`${version} (live)`), 'the versions that can serve');
  await page.getByLabel('Version 1', { exact: true }).fill(version);
  await page.getByLabel('Version 2', { exact: true }).fill(String(Number(version) - 1));
  await page.getByRole('button', { name: 'Create experiment' }).click();
  await notice(page, 'Experiment addr-wording created (disabled).');
  await page.getByRole('row', { name: /addr-wording/ }).getByRole('button', { name: 'Enable' }).click();
  await notice(page, 'Experiment addr-wording enabled.');
  await visible(page.getByRole('row', { name: /addr-wording/ }).getByRole('button', { name: 'Disable' }), 'the enabled experiment');
  await checkPage(page, 'experiments');
  await shot('08-experiment');

  // The executor playground runs the fee dispute's executor on its example input.
  await page.getByRole('link', { name: 'Executor playground' }).click();
  await page.getByLabel('Executor module (.wasm)').setInputFiles(env.WASM);
  await page.getByLabel('Input (JSON)').fill(readFileSync(env.WASM_INPUT, 'utf8'));
  await page.getByRole('button', { name: 'Run' }).click();
  await visible(page.getByText('Branch: waive'), 'the executor\'s branch', 30000);
  await checkPage(page, 'playground');
  await shot('09-playground');

  await page.getByRole('link', { name: 'Audit log' }).click();
  for (const [action, details] of [['version.create', ''], ['version.update', ''], ['test.put', ''], ['version.state', 'to: shadow'],
    ['version.state', 'to: final'], ['deploy.live', `version: ${version}`], ['experiment.create', ''], ['experiment.enable', '']]) {
    await visible(page.locator('tbody tr', { hasText: action }).filter({ hasText: 'anna@example.com' }).filter({ hasText: details }),
      `audit entry ${action} ${details}`);
  }
  await shot('10-audit');
}
