// The widget embedded on another site's page with one script tag and a portal token: the
// launcher opens the chat in a frame, the customer types, then answers a quick reply with the
// keyboard alone (focus moves to the newest question). Then the chat held in a page itself.
export default async function ({ page, artifacts, env }) {
  await page.goto(env.HOST_URL);
  const launcher = page.getByRole('button', { name: 'Chat with support' });
  await launcher.click();
  const chat = page.frameLocator('iframe[title="Chat with support"]');
  await chat.locator('.fd-bot').filter({ hasText: 'How can I help' }).waitFor();
  const input = chat.getByLabel('Your message');
  await input.fill('I lost my card');
  await input.press('Enter');
  const lost = chat.getByRole('button', { name: 'Lost', exact: true });
  await lost.waitFor();
  await page.screenshot({ path: artifacts + '/embedded.png' });
  if (!(await lost.evaluate((b) => b === document.activeElement))) {
    throw new Error('focus did not move to the newest question');
  }
  await page.keyboard.press('Enter');
  await chat.locator('.fd-customer').filter({ hasText: /^Lost$/ }).waitFor();
  await chat.locator('.fd-bot').filter({ hasText: 'replacement card' }).waitFor();
  if (await launcher.getAttribute('aria-expanded') !== 'true') {
    throw new Error('the launcher does not say that the chat is open');
  }
  await inline({ page, env });
}

// The chat held in a portal page itself: same widget, no frame.
export async function inline({ page, env }) {
  await page.goto(env.HOST_URL + '/inline');
  await page.locator('.fd-bot').filter({ hasText: 'How can I help' }).waitFor();
  await page.getByLabel('Your message').fill('My card was stolen');
  await page.getByLabel('Your message').press('Enter');
  await page.getByRole('button', { name: 'Stolen', exact: true }).waitFor();
}
