// The change-of-address flow in the real widget, as a customer does it with the keyboard and
// mouse: open the emailed link, confirm, fill the address (after the page's own check of a
// missing field), enter a wrong code (the server's error is shown), then the SMS code, rate the
// chat, reload (the chat resumes, every message once), open the used link again (refused). CHAT_LINK is the link, CODE_URL answers
// the newest code from the local SMS outbox.
const bot = (page) => page.locator('.fd-bot').last();

async function expectText(locator, want) {
  await locator.filter({ hasText: want }).first().waitFor();
}

export default async function ({ page, artifacts, env }) {
  await page.goto(env.CHAT_LINK);
  await expectText(page.locator('.fd-bot'), 'change the postal address');
  if (page.url().includes('key=')) throw new Error('the used key stays in the address bar');
  await page.getByRole('button', { name: 'Yes, change my address' }).click();

  await page.getByLabel('Street and number (required)').waitFor();
  await page.getByLabel('Street and number (required)').fill('Torstrasse 1');
  await page.getByLabel('Postcode (required)').fill('10119');
  await page.locator('.fd-form').last().getByRole('button', { name: 'Send' }).click();
  await expectText(page.locator('.fd-field-error'), 'City is required.');
  await page.getByLabel('City (required)').fill('Berlin');
  await page.screenshot({ path: artifacts + '/address-form.png' });
  await page.locator('.fd-form').last().getByRole('button', { name: 'Send' }).click();

  await page.getByLabel('Code (required)').last().waitFor();
  const code = await (await fetch(env.CODE_URL)).text();
  if (!/^\d{6}$/.test(code)) throw new Error(`no code in the SMS outbox: ${JSON.stringify(code)}`);
  const wrong = code === '000000' ? '111111' : '000000';
  await page.getByLabel('Code (required)').last().fill(wrong);
  await page.keyboard.press('Enter');
  await expectText(page.locator('.fd-form .fd-msg-error'), 'not right');
  await page.getByLabel('Code (required)').last().fill(code);
  await page.keyboard.press('Enter');

  await expectText(page.locator('.fd-bot'), 'waiting for a colleague');
  await page.getByRole('button', { name: 'Rate 5 of 5' }).click();
  await expectText(bot(page), 'Thank you for your rating.');

  // A reload resumes the same chat: every message once, none lost.
  const before = await page.locator('.fd-msg').count();
  await page.reload();
  await expectText(bot(page), 'Thank you for your rating.');
  const after = await page.locator('.fd-msg').count();
  if (after !== before) throw new Error(`${before} messages before the reload, ${after} after`);
  await page.screenshot({ path: artifacts + '/chat.png', fullPage: true });

  // The link works once: opened again, the page says so.
  await page.goto(env.CHAT_LINK);
  await page.getByRole('alert').filter({ hasText: 'already used' }).waitFor();
  if (await page.getByLabel('Your message').isVisible()) throw new Error('a refused link leaves the message box');
  await page.screenshot({ path: artifacts + '/used-link.png' });
}
