// A CSR signs in, opens the customer's case, reads the node, the customer record the policy
// fetched and the options, and answers the first two questions for the customer.
import { checkPage } from '../../studio/ui/testdata/steps.mjs';

export default async function ({ page, baseURL, artifacts, env }) {
  const expect = async (locator, what) => {
    await locator.first().waitFor({ state: 'visible' }).catch(() => { throw new Error('not shown: ' + what); });
  };
  await page.goto(baseURL + '/agent');
  await page.getByLabel('API key or admin token').fill('wrong-token');
  await page.getByLabel(/Your name/).fill('Alan Turing');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('textbox', { name: 'Case or conversation id' }).fill(env.CASE_ID);
  await page.getByRole('button', { name: 'Open' }).click();
  // A wrong token is refused and signs out, with the server's message.
  await expect(page.getByRole('alert').filter({ hasText: 'not known' }), 'the error of a wrong token');

  await page.getByLabel('API key or admin token').fill(env.TOKEN);
  await page.getByLabel(/Your name/).fill('Alan Turing');
  await page.keyboard.press('Enter');
  await page.getByRole('textbox', { name: 'Case or conversation id' }).fill(env.CASE_ID);
  await page.keyboard.press('Enter');
  await expect(page.locator('#facts dd', { hasText: 'confirm' }), 'the current node');
  await expect(page.locator('#data caption', { hasText: 'customer' }), 'the customer record');
  await expect(page.locator('#data td', { hasText: env.PHONE }), "the customer's phone");
  await checkPage(page, 'the opened conversation');
  await page.screenshot({ path: artifacts + '/agent-opened.png', fullPage: true });

  await page.getByRole('button', { name: 'Reload' }).click();
  await expect(page.locator('#facts dd', { hasText: 'confirm' }), 'the node after a reload');
  await page.getByRole('button', { name: 'Yes, change my address' }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'Sent as Alan Turing' }), 'the confirmation');
  await page.getByLabel(/Street and number/).fill('1 Main St');
  await page.getByLabel(/City/).fill('Leeds');
  // The browser checks the policy's pattern before anything is sent.
  await page.getByLabel(/Postcode/).fill('ls1');
  await page.getByRole('button', { name: 'Send' }).click();
  const valid = await page.getByLabel(/Postcode/).evaluate((el) => el.validity.valid);
  if (valid) throw new Error('a postcode against the pattern was accepted');
  await page.getByLabel(/Postcode/).fill('LS1 4AP');
  await page.getByRole('button', { name: 'Send' }).click();
  await expect(page.locator('#facts dd', { hasText: 'verify' }), 'the one-time code node');
  await expect(page.getByLabel(/code/i), 'the code field');
  await checkPage(page, 'the code question');
  await page.screenshot({ path: artifacts + '/agent-verify.png', fullPage: true });
}
