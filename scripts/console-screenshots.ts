/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
/**
 * `npm run console:screenshots`: a picture of each console page in docs/console/*.png, from a
 * freshly seeded sandbox. Starts the built server (dist/server.js, on a free port, a temporary
 * SQLite file) and a local webhook receiver, seeds through the public API (an order of three
 * eSIMs, one downloaded, installed and connected with a week of usage, a webhook endpoint and
 * its deliveries, the clock a day ahead), then signs in with the same Chromium the tests use
 * and captures each page at 1280x800 (the eSIM detail whole). Reuses the test helpers that
 * start the server, the receiver and the browser.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { launchChromium } from '../test/helpers/browser.js';
import { PROJECT_ROOT, startServer } from '../test/helpers/server-process.js';
import { startReceiver } from '../test/helpers/webhook-receiver.js';

const KEY = 'screenshots-key-0001';
const OUT = join(PROJECT_ROOT, 'docs', 'console');
const IMEI = '490154203237518';

const server = await startServer({ env: { SANDBOX_API_KEYS: `demo:${KEY}`, RATE_LIMITS: 'off' } });
const receiver = await startReceiver();
const browser = await launchChromium();
try {
  const call = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${server.baseUrl}/v1${path}`, {
      method,
      headers: {
        Authorization: `Bearer ${KEY}`,
        ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
    return response.status === 204 ? null : ((await response.json()) as Record<string, unknown>);
  };
  await call('PUT', '/sandbox/webhook', { url: receiver.url });
  const order = (await call('POST', '/orders', { planCode: 'KD0001', quantity: 3 })) as { esims: { iccid: string }[] };
  const iccid = order.esims[0]!.iccid;
  await call('POST', `/sandbox/esims/${iccid}/events`, { event: 'download' });
  await call('POST', `/sandbox/esims/${iccid}/events`, { event: 'install', imei: IMEI });
  await call('POST', `/sandbox/esims/${iccid}/events`, { event: 'connect', imei: IMEI });
  const today = Date.now();
  const days = [6, 5, 4, 3, 2, 1, 0].map((back, i) => ({
    day: new Date(today - back * 86_400_000).toISOString().slice(0, 10),
    usage: String([51200, 102400, 81920, 153600, 20480, 122880, 61440][i]),
  }));
  await call('PUT', `/sandbox/esims/${iccid}/data-usage`, days);
  await call('POST', `/esims/${order.esims[1]!.iccid}/emergency-control`, { action: 'suspend' });
  await call('POST', '/sandbox/clock/advance', { days: 1 });
  await receiver.waitFor((r) => r.length >= 5);
  await call('GET', `/esims/${iccid}`);

  mkdirSync(OUT, { recursive: true });
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  await page.goto(`${server.baseUrl}/console/plans?countryCode=JP`);
  await page.getByLabel('API key').waitFor();
  await page.screenshot({ path: join(OUT, 'sign-in.png') });
  await page.getByLabel('API key').fill(KEY);
  await page.getByRole('button', { name: 'Sign in' }).click();
  const shots: { name: string; path: string; ready: string; fullPage?: boolean }[] = [
    { name: 'plans', path: '/console/plans?countryCode=JP', ready: 'table tbody tr' },
    { name: 'esims', path: '/console/esims', ready: 'table tbody tr' },
    { name: 'esim-detail', path: `/console/esims/${iccid}`, ready: '.chart canvas', fullPage: true },
    { name: 'requests', path: '/console/requests', ready: 'table' },
    { name: 'webhooks', path: '/console/webhooks', ready: '[data-testid="delivery-status"]', fullPage: true },
    { name: 'clock', path: '/console/clock', ready: '[data-testid="clock-now"]' },
  ];
  for (const shot of shots) {
    await page.goto(`${server.baseUrl}${shot.path}`);
    await page.locator(shot.ready).first().waitFor();
    await page.waitForTimeout(300);
    await page.screenshot({ path: join(OUT, `${shot.name}.png`), fullPage: shot.fullPage ?? false });
    process.stdout.write(`wrote docs/console/${shot.name}.png\n`);
  }
} finally {
  await browser.close();
  await receiver.close();
  await server.stop();
}
