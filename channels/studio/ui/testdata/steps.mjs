// steps.mjs: what the Studio's browser scripts share: waiting for what a person would see,
// and saving a simulation of change-address's happy path as a test case.

// visible waits until the locator shows, failing with what was expected.
export async function visible(locator, what, timeout) {
  await locator.first().waitFor({ state: 'visible', timeout }).catch((err) => {
    throw new Error(`not shown: ${what} (${err.message.split('\n')[0]})`);
  });
}

// notice waits for the polite confirmation of an action.
export function notice(page, text) {
  return visible(page.getByRole('status').filter({ hasText: text }), `notice "${text}"`);
}

// saveHappyPath simulates the change of address to its end on the Simulate and test tab and
// saves it as the test case "happy path".
export async function saveHappyPath(page) {
  await page.getByRole('tab', { name: 'Simulate and test' }).click();
  await page.getByLabel('Hydration fixtures (JSON)').fill(JSON.stringify({ customer: { id: 'C-1001', phone: '+447700900101' }, open_requests: [] }));
  await page.getByLabel('Inputs (JSON)').fill(JSON.stringify({ confirm: 'yes', collect: { street: '1 Main St', city: 'Leeds', postcode: 'LS1 4AP' } }));
  await page.getByLabel('Action results (JSON)').fill(JSON.stringify({ 'otp.verify': { output: { verified: true } } }));
  await page.getByRole('button', { name: 'Simulate' }).click();
  await visible(page.getByText('Done: submitted_for_approval'), 'the simulated outcome');
  await page.getByLabel('Test case name').fill('happy path');
  await page.getByRole('button', { name: 'Save as test case' }).click();
  await notice(page, 'Test case "happy path" saved.');
}

// checkPage fails when a visible control of the page has no accessible name (a label, an
// aria-label or aria-labelledby; buttons: their text), or when the page is wider than the
// window (something would need sideways scrolling).
export async function checkPage(page, where) {
  const problems = await page.evaluate(() => {
    const out = [...document.querySelectorAll('input, select, textarea, button')]
      .filter((el) => el.offsetParent !== null && el.type !== 'hidden')
      .filter((el) => !((el.labels && el.labels.length) || el.getAttribute('aria-label') || el.getAttribute('aria-labelledby') ||
        (el.tagName === 'BUTTON' && el.textContent.trim())))
      .map((el) => 'no label: ' + el.outerHTML.slice(0, 120));
    if (document.documentElement.scrollWidth > window.innerWidth) {
      out.push(`the page is ${document.documentElement.scrollWidth}px wide in a ${window.innerWidth}px window`);
    }
    return out;
  });
  if (problems.length) throw new Error(`${where}:\n${problems.join('\n')}`);
}
