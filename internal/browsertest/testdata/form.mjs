// Fills the test page's form by its labels and checks the page's answer, as a widget test would.
export default async function ({ page, baseURL, artifacts }) {
  await page.goto(baseURL + '/');
  await page.getByLabel('Name').fill('Ada');
  await page.getByRole('button', { name: 'Greet' }).click();
  const said = await page.getByRole('status').textContent();
  if (said !== 'Hello, Ada') {
    throw new Error(`status says ${JSON.stringify(said)}, want "Hello, Ada"`);
  }
  await page.screenshot({ path: artifacts + '/form.png' });
}
