// Finds a Chromium for Playwright tests: CHROME_PATH, Debian's chromium-headless-shell or chromium,
// or one Playwright installed earlier. Never downloads one and never skips: without a browser the
// tests fail with the command that installs one.
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

export const LAUNCH_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-sync',
  '--disable-quic',
];

const SYSTEM_BROWSERS = ['/usr/bin/chromium-headless-shell', '/usr/bin/chromium'];

export function findChromium(): string {
  const fromEnv = process.env.CHROME_PATH;
  if (fromEnv) {
    if (existsSync(fromEnv)) return fromEnv;
    throw new Error(`CHROME_PATH is set to ${fromEnv}, but no file is there: point it at a Chromium executable or unset it`);
  }
  for (const candidate of SYSTEM_BROWSERS) if (existsSync(candidate)) return candidate;
  let bundled = '';
  try {
    bundled = chromium.executablePath();
  } catch {
    bundled = '';
  }
  if (bundled && existsSync(bundled)) return bundled;
  throw new Error(
    'No Chromium found for the browser tests. Install one with `npm run setup` (on Debian it installs ' +
      'chromium-headless-shell), or set CHROME_PATH to a Chromium executable.',
  );
}

/**
 * One browser per test file; make one context per simulated terminal.
 *
 * Its contexts run without service workers unless a test asks for them (`serviceWorkers: 'allow'`, as the
 * offline-page test does): every page the engine serves on localhost registers the offline page's worker,
 * and once that worker controls a page, Playwright no longer promises to show the page's requests
 * (page.route, request and response events). Which side of that a request falls on depended on when the
 * worker took control — a payment held with page.route slipped past it on a busy machine and the test
 * waited for it forever.
 */
export async function launchBrowser(): Promise<Browser> {
  const browser = await chromium.launch({ executablePath: findChromium(), args: LAUNCH_ARGS, headless: true });
  const newContext = browser.newContext.bind(browser);
  // browser.newPage() makes its context through this too
  browser.newContext = (options = {}) => newContext({ serviceWorkers: 'block', ...options });
  return browser;
}
