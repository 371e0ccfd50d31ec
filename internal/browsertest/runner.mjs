// runner.mjs: the harness side of browsertest.Run. It launches the chromium named by
// CHROMIUM_PATH headless through playwright-core (from PLAYWRIGHT_CORE), opens one page and
// hands it to the test script's default export. Page console lines and errors are printed so a
// failing test shows what the page said; on a throw the page is saved as failure.png.
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import path from 'node:path';

const require = createRequire(path.join(process.env.PLAYWRIGHT_CORE, 'package.json'));
const { chromium } = require(process.env.PLAYWRIGHT_CORE);

const script = process.argv[2];
const artifacts = process.env.ARTIFACTS;

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH,
  headless: true,
  // The test machines run as root, where chromium refuses its sandbox; /dev/shm may be small.
  args: ['--no-sandbox', '--disable-dev-shm-usage'],
});
let failed = false;
try {
  const context = await browser.newContext({ viewport: { width: 1024, height: 768 } });
  context.setDefaultTimeout(15000);
  const page = await context.newPage();
  page.on('console', (msg) => console.log(`[page ${msg.type()}] ${msg.text()}`));
  page.on('pageerror', (err) => console.log(`[page error] ${err.message}`));
  try {
    const { default: run } = await import(pathToFileURL(path.resolve(script)).href);
    if (typeof run !== 'function') {
      throw new Error(`${script} has no default export function`);
    }
    await run({ page, context, browser, baseURL: process.env.BASE_URL, artifacts, env: process.env });
  } catch (err) {
    failed = true;
    console.log(`FAIL ${script}: ${err && err.stack ? err.stack : err}`);
    await page.screenshot({ path: path.join(artifacts, 'failure.png'), fullPage: true }).catch(() => {});
  }
} finally {
  await browser.close();
}
process.exit(failed ? 1 : 0);
