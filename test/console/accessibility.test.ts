/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
/**
 * The console's quality bars in a real Chromium against the built server: no serious or
 * critical axe-core violation (@axe-core/playwright) on any page, at 1280x800 and on a phone
 * (390x844, where nothing makes the page scroll sideways); keyboard use (sign in with the
 * keyboard only, the skip link, the navigation reached and followed with Tab and Enter).
 * Skipped, saying why, when Chromium is not installed.
 */
import AxeBuilderModule from '@axe-core/playwright';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserSkipReason, launchChromium } from '../helpers/browser.js';
import { startServer, type ServerProcess } from '../helpers/server-process.js';

// @axe-core/playwright 4.13 types its ESM entry with CommonJS-style declarations: under NodeNext
// the default import is typed as the module object; at run time it is the class.
const AxeBuilder = ((AxeBuilderModule as unknown as { default?: unknown }).default ??
  AxeBuilderModule) as typeof AxeBuilderModule.default;

const KEY = 'console-a11y-key-0001';
const skip = browserSkipReason();

describe.skipIf(skip !== null)('the console: accessibility, phone, keyboard', () => {
  let server: ServerProcess;
  let browser: Browser;
  let iccid = '';

  beforeAll(async () => {
    [server, browser] = await Promise.all([
      startServer({ env: { SANDBOX_API_KEYS: `a11y:${KEY}` } }),
      launchChromium(),
    ]);
    // One eSIM with usage and a webhook, so that every part of every page is drawn.
    const headers = { Authorization: `Bearer ${KEY}`, 'Content-Type': 'application/json' };
    const order = await fetch(`${server.baseUrl}/v1/orders`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ planCode: 'KD0001', quantity: 1 }),
    });
    iccid = ((await order.json()) as { esims: { iccid: string }[] }).esims[0]!.iccid;
    await fetch(`${server.baseUrl}/v1/sandbox/esims/${iccid}/data-usage`, {
      method: 'PUT',
      headers,
      body: JSON.stringify([{ day: '2026-03-01', usage: '1024' }]),
    });
    await fetch(`${server.baseUrl}/v1/sandbox/webhook`, {
      method: 'PUT',
      headers,
      body: JSON.stringify({ url: 'http://127.0.0.1:9/hooks' }),
    });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  async function signedIn(viewport: { width: number; height: number }): Promise<Page> {
    const page = await (await browser.newContext({ viewport })).newPage();
    await page.goto(`${server.baseUrl}/console/plans`);
    await page.getByLabel('API key').fill(KEY);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { level: 1, name: 'Plans' }).waitFor();
    return page;
  }

  const pages = () => [
    { path: '/console/plans', ready: 'table' },
    { path: '/console/esims', ready: 'table' },
    { path: `/console/esims/${iccid}`, ready: '[data-testid="lifecycle-state"]' },
    { path: '/console/requests', ready: 'table' },
    { path: '/console/webhooks', ready: '[data-testid="webhook-url"]' },
    { path: '/console/clock', ready: '[data-testid="clock-now"]' },
  ];

  async function seriousViolations(page: Page): Promise<string[]> {
    const results = await new AxeBuilder({ page }).analyze();
    return results.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  }

  for (const viewport of [
    { width: 1280, height: 800 },
    { width: 390, height: 844 },
  ]) {
    it(`has no serious or critical axe violation on any page at ${viewport.width}x${viewport.height}`, async () => {
      const page = await (await browser.newContext({ viewport })).newPage();
      await page.goto(`${server.baseUrl}/console`);
      await page.getByLabel('API key').waitFor();
      const found: Record<string, string[]> = { 'sign-in': await seriousViolations(page) };
      await page.getByLabel('API key').fill(KEY);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('heading', { level: 1, name: 'Plans' }).waitFor();
      for (const { path, ready } of pages()) {
        await page.goto(`${server.baseUrl}${path}`);
        await page.locator(ready).first().waitFor();
        found[path] = await seriousViolations(page);
        if (viewport.width === 390) {
          // Wide tables and the diagram scroll in their own boxes; the page itself never sideways.
          const width = await page.evaluate(() => document.documentElement.scrollWidth);
          expect(width, `${path} is ${width}px wide on a 390px screen`).toBeLessThanOrEqual(390);
        }
      }
      expect(found).toEqual(Object.fromEntries(Object.keys(found).map((k) => [k, []])));
      await page.close();
    }, 90_000);
  }

  it('works with the keyboard alone: sign in, skip link, navigation', async () => {
    const page = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
    await page.goto(`${server.baseUrl}/console/clock`);
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('id'))).toBe('api-key');
    await page.keyboard.type(KEY);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: 'Clock' }).waitFor();
    // First Tab: the skip link; Enter moves to the content.
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Skip to content');
    // Then the brand and the navigation, in order.
    const names: string[] = [];
    for (let i = 0; i < 7; i += 1) {
      await page.keyboard.press('Tab');
      names.push((await page.evaluate(() => document.activeElement?.textContent?.trim())) ?? '');
    }
    expect(names).toEqual(['eSIM Sandbox', 'Plans', 'eSIMs', 'Requests', 'Webhooks', 'Clock', 'Sign out']);
    // Back to eSIMs and follow it with Enter: a new page, its heading focused.
    for (let i = 0; i < 4; i += 1) await page.keyboard.press('Shift+Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('eSIMs');
    await page.keyboard.press('Enter');
    await page.waitForURL('**/console/esims');
    expect(await page.evaluate(() => document.activeElement?.tagName)).toBe('H1');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('eSIMs');
    await page.close();
  });

  it('on a phone, keeps the navigation and the order form usable', async () => {
    const page = await signedIn({ width: 390, height: 844 });
    for (const name of ['Plans', 'eSIMs', 'Requests', 'Webhooks', 'Clock']) {
      expect(await page.getByRole('link', { name, exact: true }).isVisible()).toBe(true);
    }
    await page.getByLabel('Quantity').fill('2');
    await page.getByRole('button', { name: 'Order' }).click();
    await page.waitForURL(/\/console\/esims\?transactionId=/);
    await page.getByRole('link', { name: /^8900/ }).nth(1).waitFor();
    expect(await page.getByRole('link', { name: /^8900/ }).count()).toBe(2);
    await page.close();
  });
});

if (skip !== null) {
  describe('the console in a browser', () => {
    it.skip(`skipped: ${skip}`, () => undefined);
  });
}
