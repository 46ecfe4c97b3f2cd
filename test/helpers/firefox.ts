/**
 * A real Firefox for the console's cross-browser check: Debian's `firefox-esr` driven by
 * puppeteer-core over WebDriver BiDi (W3C), headless, with a fresh temporary profile each
 * launch. Playwright's Firefox is a patched build it downloads, which cannot be fetched here;
 * BiDi drives the stock browser. `FIREFOX_PATH` overrides where the browser is looked for.
 */
import puppeteer, { type Browser } from 'puppeteer-core';
import { installedAt } from './browser.js';

/** Where the system Firefox is, or null when it is not installed. */
export function firefoxPath(): string | null {
  return installedAt([process.env.FIREFOX_PATH, '/usr/bin/firefox-esr', '/usr/bin/firefox']);
}

/** Why the Firefox test is skipped (null: it runs). */
export function firefoxSkipReason(): string | null {
  return firefoxPath()
    ? null
    : 'Firefox is not installed (/usr/bin/firefox-esr, or set FIREFOX_PATH): the console Firefox test is skipped; `apt-get install firefox-esr` (CI does) runs it';
}

/** Launches the system Firefox headless over WebDriver BiDi. */
export async function launchFirefox(): Promise<Browser> {
  const executablePath = firefoxPath();
  if (!executablePath) throw new Error(firefoxSkipReason()!);
  return puppeteer.launch({
    browser: 'firefox',
    executablePath,
    headless: true,
    // No update checks, telemetry or first-run pages: the test must make no outside request.
    extraPrefsFirefox: {
      'app.update.enabled': false,
      'datareporting.policy.dataSubmissionEnabled': false,
      'toolkit.telemetry.enabled': false,
      'browser.shell.checkDefaultBrowser': false,
      'network.captive-portal-service.enabled': false,
    },
  });
}
