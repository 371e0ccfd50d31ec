// An admin creates a publisher's key; the publisher signs in with it, creates change-address
// with its first draft, reads the graph, edits a node in the form editor (a typo is caught
// live), saves, simulates, saves the simulation as a test case, moves the draft to shadow, sees
// the gate refuse promotion, and reads the audit log.
import { checkPage, notice, saveHappyPath, visible } from './steps.mjs';

export default async function ({ page, baseURL, artifacts, env }) {
  const shot = (name) => page.screenshot({ path: `${artifacts}/${name}.png`, fullPage: true });

  await page.goto(baseURL + '/studio');
  await page.getByLabel('API key').fill('not-a-key-of-anyone-at-all');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await visible(page.getByRole('alert').filter({ hasText: /API key/ }), 'the refusal of a wrong key');
  // The admin gives Anna a publisher's key; she signs in with it.
  await page.getByLabel('API key').fill(env.ADMIN);
  await page.keyboard.press('Enter');
  await page.getByRole('link', { name: 'API keys' }).click();
  await page.getByLabel('Key id').fill('k-anna');
  await page.getByLabel('Owner').fill('anna@example.com');
  await page.getByLabel('Role').selectOption('publisher');
  await page.getByRole('button', { name: 'Create key' }).click();
  const secret = await page.getByLabel('Secret').inputValue();
  await checkPage(page, 'keys');
  await shot('00-keys');
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.getByLabel('API key').fill(secret);
  await page.keyboard.press('Enter');
  await visible(page.getByText('anna@example.com (publisher)'), 'who is signed in');
  if (await page.getByRole('link', { name: 'API keys' }).isVisible()) throw new Error('a publisher is offered the API keys page');
  await page.getByRole('link', { name: 'Policies' }).click();
  await visible(page.getByRole('heading', { name: 'Policies' }), 'the policies page');
  await checkPage(page, 'policies');

  // Create the policy with its first draft.
  await page.getByLabel(/^Name/).fill('change-address');
  await page.getByLabel('Title').fill('Change of address');
  await page.getByLabel('Category').fill('account');
  await page.getByLabel('First draft (YAML)').fill(env.BODY);
  await page.getByRole('button', { name: 'Create policy with a draft' }).click();
  await visible(page.getByRole('heading', { name: 'Change of address' }), 'the policy page');
  await page.getByRole('link', { name: 'Version 1' }).click();
  await visible(page.locator('svg [data-node="collect"]'), 'the graph');
  await shot('01-graph');

  // Edit in the form: a typo in a condition is reported live, then fixed, then a say text.
  await page.getByRole('tab', { name: 'Edit' }).click();
  await visible(page.getByText('✓ The policy compiles.'), 'the first validation');
  await page.getByRole('navigation', { name: 'Nodes of the policy' }).getByRole('button', { name: 'check', exact: true }).click();
  await page.getByLabel('When 1').fill('customer == nil &&');
  await visible(page.locator('#problems .problems li'), 'the problem of a broken condition');
  await checkPage(page, 'editor');
  await shot('02-editor-problem');
  await page.getByLabel('When 1').fill('customer == nil');
  await visible(page.getByText('✓ The policy compiles.'), 'the validation after the fix');
  // Selecting a node on the graph by keyboard opens its form.
  await page.locator('svg [data-node="done"]').focus();
  await page.keyboard.press('Enter');
  await page.locator('#node-form').getByLabel('Say').fill('Thanks. A colleague approves the new address within a day.');
  await visible(page.getByText('✓ The policy compiles.'), 'the validation of the new text');
  // A node is added, shown on the graph, and deleted again.
  await page.getByLabel('New node name').fill('thanks');
  await page.getByLabel('Kind', { exact: true }).selectOption('end');
  await page.getByRole('button', { name: 'Add node' }).click();
  await visible(page.locator('svg [data-node="thanks"]'), 'the new node on the graph');
  await page.locator('#node-form').getByLabel('Resolution').fill('thanked');
  await page.getByRole('button', { name: 'Delete node thanks' }).click();
  if (await page.locator('svg [data-node="thanks"]').count()) throw new Error('the deleted node is still drawn');

  // The spoken form of a question: its say text and phone keys.
  await page.getByRole('navigation', { name: 'Nodes of the policy' }).getByRole('button', { name: 'confirm', exact: true }).click();
  const say = page.getByLabel('Voice: say');
  if (!(await say.inputValue()).includes('press 1')) throw new Error('the voice say text is not shown: ' + await say.inputValue());
  if (await page.getByLabel('Choice value 2').inputValue() !== 'no') throw new Error('the phone keys are not shown');
  await say.fill('To change your address press 1. For anything else press 2.');
  await visible(page.getByText('✓ The policy compiles.'), 'the validation of the voice text');

  // Renaming a node carries every reference along: the policy still compiles.
  await page.getByRole('navigation', { name: 'Nodes of the policy' }).getByRole('button', { name: 'approval', exact: true }).click();
  await page.getByLabel('New name (every reference follows)').fill('assign_approver');
  await page.getByRole('button', { name: 'Rename' }).click();
  await visible(page.locator('svg [data-node="assign_approver"]'), 'the renamed node on the graph');
  await visible(page.getByText('✓ The policy compiles.'), 'the validation after the rename');
  await page.getByRole('button', { name: 'Save draft' }).click();
  await notice(page, 'Version 1 saved.');
  await shot('03-editor');
  // What was saved is the form's edits, as YAML.
  await page.getByRole('tab', { name: 'Graph' }).click();
  await page.getByText('The policy as YAML').click();
  const yaml = await page.locator('details pre').textContent();
  for (const want of ['For anything else press 2.', 'assign_approver', 'approves the new address within a day']) {
    if (!yaml.includes(want)) throw new Error(`the saved policy lacks "${want}":\n${yaml}`);
  }

  // Simulate, and keep the simulation as a test case.
  await saveHappyPath(page);
  await checkPage(page, 'simulate and test');
  await shot('04-simulation');

  // Shadow, and the gate's verdict.
  await page.getByRole('tab', { name: 'Lifecycle' }).click();
  await page.getByRole('button', { name: 'Move to shadow' }).click();
  await visible(page.locator('h1 .badge.shadow'), 'the shadow state');
  await visible(page.getByText('✗ The gate refuses promotion:'), 'the verdict');
  await page.getByRole('button', { name: 'Promote to final' }).click();
  await visible(page.getByRole('alert').filter({ hasText: /nodes/ }), 'the refusal of the promotion');
  await checkPage(page, 'lifecycle');
  await shot('05-gate');

  await page.getByRole('link', { name: 'Audit log' }).click();
  await visible(page.locator('tbody tr', { hasText: 'key.create' }).filter({ hasText: 'admin-token' }), 'audit entry key.create');
  for (const action of ['policy.create', 'version.create', 'version.update', 'test.put', 'version.state']) {
    await visible(page.locator('tbody tr', { hasText: action }).filter({ hasText: 'anna@example.com' }), `audit entry ${action}`);
  }
  await checkPage(page, 'audit');
  await shot('06-audit');
}
