/**
 * A real headless browser for tests: Debian's chromium driven by playwright-core
 * (`npx playwright install` cannot download browsers here). Suites call `launchBrowser()`
 * and skip when it returns undefined; REQUIRE_BROWSER=1 (CI) turns a missing browser into
 * a failure instead of a silent skip.
 */
import { access } from 'node:fs/promises';
import { type Browser, chromium } from 'playwright-core';

export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

const chromiumArgs = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-sync',
];

/** Why browser tests skip on this machine (shown as the skipped test's name). */
export const browserMissing = `no browser at ${chromiumPath} (set CHROMIUM_PATH; REQUIRE_BROWSER=1 makes this a failure)`;

/** Whether a browser is installed; throws when it is required (REQUIRE_BROWSER=1) and missing. */
export async function browserAvailable(): Promise<boolean> {
  const found = await access(chromiumPath).then(
    () => true,
    () => false,
  );
  if (!found && process.env.REQUIRE_BROWSER === '1') {
    throw new Error(
      `REQUIRE_BROWSER=1 but no browser at ${chromiumPath}: apt-get install -y --no-install-recommends chromium fonts-wqy-microhei`,
    );
  }
  return found;
}

/** The launched browser, or undefined when none is installed (and none is required). */
export async function launchBrowser(): Promise<Browser | undefined> {
  if (!(await browserAvailable())) return undefined;
  return chromium.launch({ executablePath: chromiumPath, args: chromiumArgs });
}
