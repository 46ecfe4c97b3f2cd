/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
/**
 * The console end to end, in a real Chromium (test/helpers/browser.ts) against the built
 * server as a child process (dist/server.js, dist/console), driven only by the accessible
 * names the console promises: sign in (a wrong key first: the 401's detail), order from a
 * plan, open the eSIM, decode the QR image as rendered back to the activation string (jsQR),
 * download, install and connect through the buttons and see the state and the history change,
 * suspend and release, set usage and see the chart, register a webhook to a local receiver and
 * see the delivery (and redeliver it), see requests appear live, copy one as curl, advance the
 * clock past expiry and see TERMINATED. Every request the page makes goes to the sandbox's
 * own origin. Skipped, saying why, when Chromium is not installed.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import jsQRModule from 'jsqr';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserSkipReason, launchChromium } from '../helpers/browser.js';
import { startServer, type ServerProcess } from '../helpers/server-process.js';
import { startReceiver, type WebhookReceiver } from '../helpers/webhook-receiver.js';

// jsqr is CommonJS with an ES-style `export default` in its types: under NodeNext the default
// import is typed as the module object, at run time it may be either.
const jsQR = ((jsQRModule as unknown as { default?: unknown }).default ?? jsQRModule) as typeof jsQRModule.default;

const KEY = 'console-e2e-key-0001';
const skip = browserSkipReason();
const IMEI = '490154203237518';

describe.skipIf(skip !== null)('the console, end to end in Chromium', () => {
  let server: ServerProcess;
  let receiver: WebhookReceiver;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let iccid = '';
  const origins = new Set<string>();
  const pageErrors: string[] = [];

  const state = () => page.getByTestId('lifecycle-state');
  const field = (name: string) => page.locator(`[data-field="${name}"]`);

  beforeAll(async () => {
    [server, receiver, browser] = await Promise.all([
      startServer({ env: { SANDBOX_API_KEYS: `consoler:${KEY}`, WEBHOOK_BACKOFF_MS: '200' } }),
      startReceiver(),
      launchChromium(),
    ]);
    context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.baseUrl });
    page = await context.newPage();
    page.on('request', (request) => origins.add(new URL(request.url()).origin));
    page.on('pageerror', (error) => pageErrors.push(error.message));
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await Promise.all([server?.stop(), receiver?.close()]);
  });

  it('refuses a wrong key with the 401 detail, then signs in', async () => {
    await page.goto(`${server.baseUrl}/`);
    await page.waitForURL('**/console/plans');
    await page.getByLabel('API key').fill('not-a-key-of-anyone');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expectText(page.getByRole('alert'), 'the API key is not known');
    await page.getByLabel('API key').fill(KEY);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expectText(page.getByRole('heading', { level: 1 }), 'Plans');
    expect(await page.evaluate(() => document.cookie)).toBe('');
  });

  it('filters the plans and orders one: the order opens its eSIMs', async () => {
    await page.getByLabel('Country').fill('JP');
    await page.getByLabel('Provider').fill('KDDI');
    await page.getByRole('button', { name: 'Filter' }).click();
    await page.waitForURL(/countryCode=JP/);
    await expectText(page.locator('#order-plan'), 'KD0001');
    await page.getByLabel('Quantity').fill('1');
    await page.getByRole('button', { name: 'Order' }).click();
    await page.waitForURL(/\/console\/esims\?transactionId=[0-9a-f-]{36}$/);
    const link = page.getByRole('link', { name: /^8900\d{15}$/ });
    await link.waitFor();
    expect(await link.count()).toBe(1);
    iccid = (await link.textContent())!;
    await link.click();
    await page.waitForURL(`**/console/esims/${iccid}`);
    await expectText(state(), 'READY');
  });

  it('draws a QR code that decodes back to the activation string', async () => {
    const qrCode = (await field('qrCode').textContent())!;
    const activationCode = (await page.getByTestId('activation-code').textContent())!;
    expect(qrCode).toBe(`LPA:1$smdp.sandbox.example$${activationCode}`);
    const image = page.getByRole('img', { name: /^QR code of LPA:1\$/ });
    await image.waitFor();
    // The image as the screen shows it (a PNG screenshot of the element), read back in the page.
    const png = (await image.screenshot()).toString('base64');
    const pixels = await page.evaluate(async (data) => {
      const img = new Image();
      img.src = `data:image/png;base64,${data}`;
      await img.decode();
      const canvas = document.createElement('canvas');
      canvas.width = img.naturalWidth;
      canvas.height = img.naturalHeight;
      const context2d = canvas.getContext('2d')!;
      context2d.drawImage(img, 0, 0);
      const { data: rgba, width, height } = context2d.getImageData(0, 0, canvas.width, canvas.height);
      return { rgba: Array.from(rgba), width, height };
    }, png);
    const decoded = jsQR(Uint8ClampedArray.from(pixels.rgba), pixels.width, pixels.height);
    expect(decoded?.data).toBe(qrCode);
  });

  it('drives download, install and connect with the buttons; state and history follow', async () => {
    await page.getByRole('button', { name: 'Download' }).click();
    await expectText(state(), 'DOWNLOADED');
    await expectText(field('downloadedAt'), 'UTC');
    await expectText(page.getByRole('list', { name: 'History, oldest first' }), 'Lifecycle event: download');

    await page.getByLabel('IMEI').fill(IMEI);
    await page.getByRole('button', { name: 'Install', exact: true }).click();
    await expectText(state(), 'INSTALLED');
    await expectText(field('initialInsertionDevice'), IMEI);

    await page.getByRole('button', { name: 'Connect' }).click();
    await expectText(state(), 'ACTIVATED');
    await expectText(field('initialConnectionDevice'), IMEI);
    const history = page.getByRole('list', { name: 'History, oldest first' });
    await expectText(history, `Lifecycle event: connect (IMEI ${IMEI})`);
    expect(await history.locator(':scope > li').count()).toBe(4);
    // ACTIVATED offers what the transition table allows from there: connect again, terminate.
    expect(await page.getByRole('button', { name: 'Download' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Terminate' }).count()).toBe(1);
  });

  it('suspends and releases', async () => {
    await page.getByRole('button', { name: 'Suspend' }).click();
    await expectText(field('contractStatus'), 'SUSPENDED');
    await expectText(field('isServiceRestricted'), 'true');
    // A SUSPENDED eSIM cannot connect: the button is gone.
    expect(await page.getByRole('button', { name: 'Connect' }).count()).toBe(0);
    await page.getByRole('button', { name: 'Release' }).click();
    await expectText(field('contractStatus'), 'ACTIVE');
    await expectText(field('isServiceRestricted'), 'false');
  });

  it('sets usage and draws the chart', async () => {
    await page.getByLabel('Day').fill('2026-03-01');
    await page.getByLabel('Usage (KB)').fill('204800');
    await page.getByRole('button', { name: 'Set usage' }).click();
    await expectText(field('totalDataUsage'), '204,800 KB');
    const chart = page.getByRole('img', { name: /^Bar chart of daily data usage/ });
    await expectAttribute(chart, 'aria-label', 'Bar chart of daily data usage: 1 day, 204800 KB in all');
    expect(await chart.locator('canvas').count()).toBe(1);
    await page.getByLabel('Usage (KB)').fill('12x');
    await page.getByRole('button', { name: 'Set usage' }).click();
    await expectText(page.getByRole('alert'), '400 Validation error');
  });

  it('registers a webhook to a local receiver and shows the delivery, then redelivers it', async () => {
    await page.getByRole('link', { name: 'Webhooks', exact: true }).click();
    await page.getByLabel('Endpoint URL').fill(receiver.url);
    await page.getByRole('button', { name: 'Register' }).click();
    await expectText(page.getByTestId('webhook-url'), receiver.url);
    await page.getByRole('button', { name: 'Reveal secret' }).click();
    await expectText(page.getByTestId('webhook-secret'), 'whsec_');
    await page.getByRole('button', { name: 'Send test event' }).click();
    const received = await receiver.waitFor((r) => r.filter((w) => w.event.type === 'esim.status_changed').length >= 2);
    expect(received[0]!.event.data.iccid).toBe(iccid);
    await expectText(page.getByTestId('delivery-status').first(), 'succeeded', 10_000);
    await page.getByRole('button', { name: 'Redeliver' }).click();
    await receiver.waitFor((r) => r.length >= 3);
    expect(receiver.received[2]!.event.id).toBe(receiver.received.at(-1)!.event.id);
    await expectText(page.getByRole('table', { name: /deliveries/ }), 'redelivery', 10_000);
  });

  it('shows requests live and copies one as curl with the key left as a variable', async (ctx) => {
    // The request log and its stream are a separate piece of the server: until it is there,
    // this step says so instead of failing.
    const log = await fetch(`${server.baseUrl}/v1/sandbox/requests?limit=1`, {
      headers: { Authorization: `Bearer ${KEY}` },
    });
    if (log.status === 404) ctx.skip('the server has no request log yet (GET /v1/sandbox/requests answers 404)');
    await page.getByRole('link', { name: 'Requests', exact: true }).click();
    await expectText(page.getByTestId('stream-state'), 'Live', 10_000);
    const marker = `console-live-${Date.now()}`;
    const answer = await fetch(`${server.baseUrl}/v1/esims/${iccid}`, {
      headers: { Authorization: `Bearer ${KEY}`, 'X-Request-Id': marker },
    });
    expect(answer.status).toBe(200);
    // Earlier steps' reads of this eSIM are listed too: the newest row is ours once the stream
    // has brought it, so open the first row until it shows our request id.
    const row = page.getByRole('link', { name: `GET /v1/esims/${iccid}` }).first();
    const deadline = Date.now() + 10_000;
    for (;;) {
      await row.click({ timeout: 10_000 });
      const shown =
        (await page
          .getByTestId('request-id')
          .textContent({ timeout: 2_000 })
          .catch(() => '')) ?? '';
      if (shown.includes(marker) || Date.now() > deadline) break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    await expectText(page.getByTestId('request-id'), marker);
    await page.getByRole('button', { name: 'Copy as curl' }).click();
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    expect(copied).toBe(
      `curl -X GET "${server.baseUrl}/v1/esims/${iccid}" \\\n  -H "Authorization: Bearer $ESIM_SANDBOX_API_KEY"`,
    );
    expect(copied).not.toContain(KEY);
  });

  it('advances the clock past expiry: the eSIM is TERMINATED', async () => {
    await page.getByRole('link', { name: 'Clock', exact: true }).click();
    await page.getByLabel('Days').fill('30');
    await page.getByLabel('Hours').fill('0');
    await page.getByRole('button', { name: 'Advance' }).click();
    await expectText(page.getByTestId('clock-offset'), 'offset 2592000 s');
    await page.goto(`${server.baseUrl}/console/esims/${iccid}`);
    await expectText(state(), 'TERMINATED');
    await expectText(page.getByRole('list', { name: 'History, oldest first' }), 'Sandbox clock: expiry');
    expect(await page.getByRole('button', { name: 'Terminate' }).count()).toBe(0);
    await page.getByRole('link', { name: 'Clock', exact: true }).click();
    await page.getByRole('button', { name: 'Reset' }).click();
    await expectText(page.getByTestId('clock-offset'), 'offset 0 s');
  });

  it('keeps each page at its URL through reload and back, and signs out', async () => {
    await page.goto(`${server.baseUrl}/console/esims/${iccid}`);
    await page.reload();
    await expectText(state(), 'TERMINATED');
    await page.getByRole('link', { name: 'Plans', exact: true }).click();
    await page.waitForURL('**/console/plans');
    await page.goBack();
    await page.waitForURL(`**/console/esims/${iccid}`);
    await expectText(page.getByRole('heading', { level: 1 }), `eSIM ${iccid}`);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('API key').waitFor();
    expect(await page.evaluate(() => sessionStorage.length)).toBe(0);
  });

  it('asked nothing of any other origin and threw no script error', () => {
    expect([...origins]).toEqual([server.baseUrl]);
    expect(pageErrors).toEqual([]);
  });
});

if (skip !== null) {
  describe('the console in a browser', () => {
    it.skip(`skipped: ${skip}`, () => undefined);
  });
}

/** Waits until the locator's text contains `text` (Playwright-style polling, vitest assertions). */
async function expectText(locator: ReturnType<Page['locator']>, text: string, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last: string;
  for (;;) {
    last = (
      (await locator
        .first()
        .textContent({ timeout: timeoutMs })
        .catch(() => '')) ?? ''
    ).replace(/\s+/g, ' ');
    if (last.includes(text) || Date.now() > deadline) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  expect(last).toContain(text);
}

async function expectAttribute(locator: ReturnType<Page['locator']>, name: string, value: string): Promise<void> {
  const deadline = Date.now() + 5_000;
  let last: string | null = null;
  while (Date.now() < deadline) {
    last = await locator.getAttribute(name).catch(() => null);
    if (last === value) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  expect(last).toBe(value);
}
