/// <reference lib="dom" />
/**
 * The console in Firefox (test/helpers/firefox.ts): the same built server and page as the
 * Chromium scenario, driven by accessible names: a wrong key shows the 401's detail, sign in,
 * every page from the navigation (its heading and URL, and back), order one eSIM from Plans,
 * open it, press Download and see the state change, at 1280x800 and at a 390x844 phone
 * viewport. Skipped, saying why, when Firefox is not installed.
 */
import type { Browser, ElementHandle, Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { firefoxSkipReason, launchFirefox } from '../helpers/firefox.js';
import { startServer, type ServerProcess } from '../helpers/server-process.js';

const KEY = 'console-firefox-key-0001';
const skip = firefoxSkipReason();
if (skip) console.log(skip);

/** Waits until the first element matching `selector` contains `text` (or times out with both). */
async function expectText(page: Page, selector: string, text: string): Promise<void> {
  try {
    await page.waitForFunction(
      (s, t) => Array.from(document.querySelectorAll(s)).some((e) => e.textContent?.includes(t)),
      { timeout: 15_000 },
      selector,
      text,
    );
  } catch {
    const seen = await page.$$eval(selector, (all) => all.map((e) => e.textContent));
    throw new Error(`no ${selector} with "${text}"; saw ${JSON.stringify(seen)}`);
  }
}

/**
 * The control labelled `label` (its <label>'s text, or aria-label), or the button or link named
 * `name` (aria-label, else its text): Puppeteer's ARIA selectors need CDP, which Firefox's
 * WebDriver BiDi does not offer, so the accessible names are matched in the page.
 */
async function named(page: Page, role: 'field' | 'button' | 'link', name: string): Promise<ElementHandle<Element>> {
  const handle = await page.waitForFunction(
    (r, n) => {
      const wanted = n.toLowerCase();
      const nameOf = (e: Element) => (e.getAttribute('aria-label') ?? e.textContent ?? '').trim().toLowerCase();
      if (r === 'field') {
        const label = Array.from(document.querySelectorAll('label')).find(
          (l) => (l.firstChild?.textContent ?? l.textContent ?? '').trim().toLowerCase() === wanted,
        );
        return (
          label?.control ??
          Array.from(document.querySelectorAll('input, select, textarea')).find((e) => nameOf(e) === wanted) ??
          null
        );
      }
      const selector = r === 'button' ? 'button, [role="button"], input[type="submit"]' : 'a[href]';
      return Array.from(document.querySelectorAll(selector)).find((e) => nameOf(e) === wanted) ?? null;
    },
    { timeout: 15_000 },
    role,
    name,
  );
  return handle as ElementHandle<Element>;
}

async function fill(page: Page, label: string, value: string): Promise<void> {
  const input = await named(page, 'field', label);
  await input.evaluate((e) => ((e as HTMLInputElement).value = ''));
  await input.type(value);
}

async function press(page: Page, role: 'button' | 'link', name: string): Promise<void> {
  await (await named(page, role, name)).click();
}

async function waitForPath(page: Page, test: (path: string) => boolean, source: string): Promise<string> {
  await page.waitForFunction(`(${source})(location.pathname + location.search)`, { timeout: 15_000 });
  const path = await page.evaluate(() => location.pathname + location.search);
  expect(test(path)).toBe(true);
  return path;
}

describe.skipIf(skip !== null)('the console in Firefox', () => {
  let server: ServerProcess;
  let browser: Browser;
  let page: Page;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    [server, browser] = await Promise.all([
      startServer({ env: { SANDBOX_API_KEYS: `firefoxer:${KEY}` } }),
      launchFirefox(),
    ]);
    page = await browser.newPage();
    await page.setViewport({ width: 1280, height: 800 });
    page.on('pageerror', (error) => pageErrors.push(String(error)));
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('runs in Firefox itself', async () => {
    expect(await browser.version()).toMatch(/^firefox\/\d+/i);
  });

  it('refuses a wrong key with the 401 detail, then signs in', async () => {
    await page.goto(`${server.baseUrl}/`);
    await waitForPath(page, (p) => p === '/console/plans', "(p) => p === '/console/plans'");
    await fill(page, 'API key', 'not-a-key-of-anyone');
    await press(page, 'button', 'Sign in');
    await expectText(page, '[role="alert"]', 'the API key is not known');
    await fill(page, 'API key', KEY);
    await press(page, 'button', 'Sign in');
    await expectText(page, 'h1', 'Plans');
  });

  it('reaches every page from the navigation, each at its own URL, and back', async () => {
    for (const [name, path] of [
      ['eSIMs', '/console/esims'],
      ['Requests', '/console/requests'],
      ['Webhooks', '/console/webhooks'],
      ['Clock', '/console/clock'],
      ['Plans', '/console/plans'],
    ] as const) {
      await press(page, 'link', name);
      await waitForPath(page, (p) => p.startsWith(path), `(p) => p.startsWith('${path}')`);
      await expectText(page, 'h1', name === 'eSIMs' ? 'eSIMs' : name);
    }
    await page.goBack();
    await waitForPath(page, (p) => p.startsWith('/console/clock'), "(p) => p.startsWith('/console/clock')");
    await expectText(page, 'h1', 'Clock');
  });

  it('orders one eSIM from Plans, opens it and downloads its profile with the button', async () => {
    await press(page, 'link', 'Plans');
    await expectText(page, 'h1', 'Plans');
    await fill(page, 'Country', 'JP');
    await fill(page, 'Provider', 'KDDI');
    await press(page, 'button', 'Filter');
    await waitForPath(page, (p) => p.includes('countryCode=JP'), "(p) => p.includes('countryCode=JP')");
    await expectText(page, '#order-plan', 'KD0001');
    await fill(page, 'Quantity', '1');
    await press(page, 'button', 'Order');
    await waitForPath(
      page,
      (p) => /^\/console\/esims\?transactionId=[0-9a-f-]{36}$/.test(p),
      '(p) => /^\\/console\\/esims\\?transactionId=[0-9a-f-]{36}$/.test(p)',
    );
    const link = await page.waitForSelector('a[href^="/console/esims/8900"]', { timeout: 15_000 });
    const iccid = await link!.evaluate((a) => a.textContent);
    expect(iccid).toMatch(/^8900\d{15}$/);
    await link!.click();
    await waitForPath(page, (p) => p === `/console/esims/${iccid}`, `(p) => p === '/console/esims/${iccid}'`);
    await expectText(page, '[data-testid="lifecycle-state"]', 'READY');
    await press(page, 'button', 'Download');
    await expectText(page, '[data-testid="lifecycle-state"]', 'DOWNLOADED');
    await expectText(page, '[aria-label="History, oldest first"]', 'Lifecycle event: download');
  });

  it('is usable at a phone viewport (390x844): no horizontal scroll, the navigation reachable', async () => {
    await page.setViewport({ width: 390, height: 844 });
    await page.reload();
    await expectText(page, '[data-testid="lifecycle-state"]', 'DOWNLOADED');
    const widths = await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
    expect(widths[0]).toBeLessThanOrEqual(widths[1]!);
    await press(page, 'link', 'Requests');
    await expectText(page, 'h1', 'Requests');
    expect(pageErrors).toEqual([]);
  });
});
