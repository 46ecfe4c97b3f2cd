/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
/**
 * A real Chromium for the console tests: Debian's `chromium` driven by playwright-core
 * (Playwright's own browser download cannot reach the network here), headless, with a fresh
 * profile each launch (Playwright's temporary user-data-dir) and nothing that phones home.
 * `CHROMIUM_PATH` overrides where the browser is looked for.
 */
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

/** The first of `candidates` (an override from the environment, then system paths) that exists, or null. */
export function installedAt(candidates: (string | undefined)[]): string | null {
  return candidates.find((path): path is string => !!path && existsSync(path)) ?? null;
}

/** Where the system Chromium is, or null when it is not installed. */
export function chromiumPath(): string | null {
  return installedAt([process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser']);
}

/** Why the browser tests are skipped (null: they run). */
export function browserSkipReason(): string | null {
  return chromiumPath()
    ? null
    : 'Chromium is not installed (/usr/bin/chromium, or set CHROMIUM_PATH): the console browser tests are skipped; `apt-get install chromium` (CI does) runs them';
}

/** Launches the system Chromium headless with the flags the guide gives for this machine. */
export async function launchChromium(): Promise<Browser> {
  const executablePath = chromiumPath();
  if (!executablePath) throw new Error(browserSkipReason()!);
  return chromium.launch({
    executablePath,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}
