// Throws after the page loads, so the harness must fail the test and keep failure.png.
export default async function ({ page, baseURL }) {
  await page.goto(baseURL + '/');
  throw new Error('expected failure from fails.mjs');
}
