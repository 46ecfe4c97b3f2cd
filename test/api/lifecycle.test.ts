/**
 * POST /v1/sandbox/esims/{iccid}/events on the real app and SQLite file: every event, the
 * 409s of the transition table, validation, and the time each event takes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import {
  applyEvent,
  catalogPlan,
  esimRow,
  expectProblem,
  expectViolation,
  getEsim,
  HOUR_MS,
  manualClock,
  orderOne,
  sendEvent,
  UNKNOWN_ICCID,
  withDatabase,
  type Esim,
} from './support.js';

const IMEI = '490154203237518';
const OTHER_IMEI = '352099001761481';
// 16:00 UTC on 1 March is 01:00 on 2 March in Japan: Japan dates differ from UTC dates here.
const clock = manualClock('2026-03-01T16:00:00.000Z');
const VALIDITY_DAYS = Number(catalogPlan('KD0001').validityDays);

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ RATE_LIMITS: 'off' }, clock.now);
});
afterAll(async () => t.close());

describe('the whole life of an eSIM, event by event', () => {
  it('download, install, connect, connect again, terminate: each changes exactly its fields', async () => {
    expect(VALIDITY_DAYS).toBe(7);
    const ordered = await orderOne(t);

    const downloadedAt = clock.advance(HOUR_MS);
    const downloaded = await applyEvent(t, ordered.iccid, { event: 'download' });
    expect(downloaded).toEqual({
      ...ordered,
      profileProvisionStatus: 'DOWNLOADED',
      profileInstallStatus: 'DOWNLOADED',
      downloadedAt,
      lastUpdatedAt: downloadedAt,
    });
    expect(await getEsim(t, ordered.iccid)).toEqual(downloaded);

    const installedAt = clock.advance(HOUR_MS);
    const installed = await applyEvent(t, ordered.iccid, { event: 'install', imei: IMEI });
    expect(installed).toEqual({
      ...downloaded,
      profileInstallStatus: 'INSTALLED',
      initialInsertionDevice: IMEI,
      initialInsertionAt: installedAt,
      lastUpdatedAt: installedAt,
    });

    // 2026-03-01T18:00Z is 03:00 on 2 March in Japan: activatedOn 2 March, 7 days to 8 March.
    const connectedAt = clock.advance(HOUR_MS);
    expect(connectedAt).toBe('2026-03-01T19:00:00.000Z');
    const connected = await applyEvent(t, ordered.iccid, { event: 'connect', imei: OTHER_IMEI });
    expect(connected).toEqual({
      ...installed,
      initialConnectionDevice: OTHER_IMEI,
      activatedOn: '2026-03-02',
      expiresOn: '2026-03-08',
      lastUpdatedAt: connectedAt,
    });

    clock.advance(HOUR_MS);
    const again = await sendEvent(t, ordered.iccid, { event: 'connect', imei: IMEI });
    expect(again.statusCode).toBe(200);
    expect(again.json()).toEqual(connected);

    const terminatedAt = clock.advance(HOUR_MS);
    const terminated = await applyEvent(t, ordered.iccid, { event: 'terminate' });
    expect(terminated).toEqual({
      ...connected,
      contractStatus: 'TERMINATED',
      terminatedOn: '2026-03-02',
      lastUpdatedAt: terminatedAt,
    });
    expect(await getEsim(t, ordered.iccid)).toEqual(terminated);
    expect(esimRow(t, ordered.iccid)).toMatchObject({
      contract_status: 'TERMINATED',
      terminated_on: '2026-03-02',
      profile_provision_status: 'DOWNLOADED',
    });
  });

  it('install on a READY eSIM implies the download at the same instant', async () => {
    const ordered = await orderOne(t);
    const at = clock.advance(HOUR_MS);
    expect(await applyEvent(t, ordered.iccid, { event: 'install', imei: IMEI })).toEqual({
      ...ordered,
      profileProvisionStatus: 'DOWNLOADED',
      profileInstallStatus: 'INSTALLED',
      downloadedAt: at,
      initialInsertionDevice: IMEI,
      initialInsertionAt: at,
      lastUpdatedAt: at,
    });
  });

  it('install_failed: CONFIRMATION_FAILED and profile ERROR; then only terminate applies', async () => {
    const ordered = await orderOne(t);
    const at = clock.advance(HOUR_MS);
    const failed = await applyEvent(t, ordered.iccid, { event: 'install_failed' });
    expect(failed).toEqual({
      ...ordered,
      profileInstallStatus: 'CONFIRMATION_FAILED',
      profileProvisionStatus: 'ERROR',
      lastUpdatedAt: at,
    });

    const body = expectProblem(
      await sendEvent(t, ordered.iccid, { event: 'install', imei: IMEI }),
      409,
      'INVALID_TRANSITION',
    );
    expect(body.detail).toBe(
      `the install event does not apply to eSIM ${ordered.iccid} in state CONFIRMATION_FAILED ` +
        '(contractStatus ACTIVE, profileProvisionStatus ERROR, profileInstallStatus CONFIRMATION_FAILED); events allowed from this state: terminate',
    );
    // Never downloaded: terminating cancels the profile.
    const terminatedAt = clock.advance(HOUR_MS);
    expect(await applyEvent(t, ordered.iccid, { event: 'terminate' })).toEqual({
      ...failed,
      contractStatus: 'TERMINATED',
      profileProvisionStatus: 'CANCELED',
      terminatedOn: '2026-03-02',
      lastUpdatedAt: terminatedAt,
    });
  });

  it('terminate before any download cancels the profile; after a download the profile stays DOWNLOADED', async () => {
    const fresh = await orderOne(t);
    clock.advance(1000);
    expect(await applyEvent(t, fresh.iccid, { event: 'terminate' })).toMatchObject({
      contractStatus: 'TERMINATED',
      profileProvisionStatus: 'CANCELED',
      profileInstallStatus: 'READY',
    });

    const other = await orderOne(t);
    await applyEvent(t, other.iccid, { event: 'download' });
    expect(await applyEvent(t, other.iccid, { event: 'terminate' })).toMatchObject({
      contractStatus: 'TERMINATED',
      profileProvisionStatus: 'DOWNLOADED',
      profileInstallStatus: 'DOWNLOADED',
    });
  });
});

describe('409: events the current state does not allow', () => {
  const refusals: {
    name: string;
    setup: { event: string; imei?: string }[];
    event: { event: string; imei?: string };
    state: string;
    allowed: string;
  }[] = [
    {
      name: 'download twice',
      setup: [{ event: 'download' }],
      event: { event: 'download' },
      state: 'DOWNLOADED',
      allowed: 'install, install_failed, terminate',
    },
    {
      name: 'connect before install',
      setup: [],
      event: { event: 'connect', imei: IMEI },
      state: 'READY',
      allowed: 'download, install, install_failed, terminate',
    },
    {
      name: 'connect after download only',
      setup: [{ event: 'download' }],
      event: { event: 'connect', imei: IMEI },
      state: 'DOWNLOADED',
      allowed: 'install, install_failed, terminate',
    },
    {
      name: 'install twice',
      setup: [{ event: 'install', imei: IMEI }],
      event: { event: 'install', imei: IMEI },
      state: 'INSTALLED',
      allowed: 'connect, terminate',
    },
    {
      name: 'install_failed after install',
      setup: [{ event: 'install', imei: IMEI }],
      event: { event: 'install_failed' },
      state: 'INSTALLED',
      allowed: 'connect, terminate',
    },
    {
      name: 'download after activation',
      setup: [
        { event: 'install', imei: IMEI },
        { event: 'connect', imei: IMEI },
      ],
      event: { event: 'download' },
      state: 'ACTIVATED',
      allowed: 'connect, terminate',
    },
  ];

  it.each(refusals)(
    '$name -> 409 INVALID_TRANSITION naming state $state and the allowed events; nothing changes',
    async ({ setup, event, state, allowed }) => {
      const { iccid } = await orderOne(t);
      for (const step of setup) await applyEvent(t, iccid, step);
      const before = esimRow(t, iccid);
      clock.advance(1000);
      const body = expectProblem(await sendEvent(t, iccid, event), 409, 'INVALID_TRANSITION');
      expect(body.title).toBe('Invalid lifecycle transition');
      expect(body.detail).toContain(
        `the ${event.event} event does not apply to eSIM ${iccid} in state ${state} (contractStatus ACTIVE,`,
      );
      expect(body.detail).toMatch(new RegExp(`; events allowed from this state: ${allowed}$`));
      expect(esimRow(t, iccid)).toEqual(before);
    },
  );

  it('connect on a SUSPENDED eSIM -> 409 INVALID_TRANSITION (release it first), then connects once released', async () => {
    const { iccid } = await orderOne(t);
    await applyEvent(t, iccid, { event: 'install', imei: IMEI });
    expect(
      (await t.call('POST', `/v1/esims/${iccid}/emergency-control`, { body: { action: 'suspend' } })).statusCode,
    ).toBe(200);
    const before = esimRow(t, iccid);
    const body = expectProblem(await sendEvent(t, iccid, { event: 'connect', imei: IMEI }), 409, 'INVALID_TRANSITION');
    expect(body.detail).toBe(
      `the connect event does not apply to eSIM ${iccid} in state INSTALLED (contractStatus SUSPENDED, profileProvisionStatus DOWNLOADED, ` +
        'profileInstallStatus INSTALLED); events allowed from this state: terminate',
    );
    expect(esimRow(t, iccid)).toEqual(before);

    expect(
      (await t.call('POST', `/v1/esims/${iccid}/emergency-control`, { body: { action: 'release' } })).statusCode,
    ).toBe(200);
    expect(await applyEvent(t, iccid, { event: 'connect', imei: IMEI })).toMatchObject({
      contractStatus: 'ACTIVE',
      activatedOn: '2026-03-02',
    });
  });

  it.each([
    { event: 'download' },
    { event: 'install', imei: IMEI },
    { event: 'install_failed' },
    { event: 'connect', imei: IMEI },
    { event: 'terminate' },
  ])('$event on a TERMINATED eSIM -> 409 ESIM_TERMINATED; nothing changes', async (event) => {
    const { iccid } = await orderOne(t);
    await applyEvent(t, iccid, { event: 'terminate' });
    const before = esimRow(t, iccid);
    const body = expectProblem(await sendEvent(t, iccid, event), 409, 'ESIM_TERMINATED');
    expect(body.detail).toBe(
      `eSIM ${iccid} is TERMINATED (terminatedOn 2026-03-02); no lifecycle event applies to a TERMINATED eSIM`,
    );
    expect(esimRow(t, iccid)).toEqual(before);
  });
});

describe('occurredAt', () => {
  it('stamps the event fields and lastUpdatedAt; a Japan date from an offset time', async () => {
    const ordered = await orderOne(t);
    clock.advance(10 * HOUR_MS);
    const downloaded = await applyEvent(t, ordered.iccid, { event: 'download', occurredAt: clock.plus(-9 * HOUR_MS) });
    expect(downloaded).toMatchObject({
      downloadedAt: clock.plus(-9 * HOUR_MS),
      lastUpdatedAt: clock.plus(-9 * HOUR_MS),
    });
    // 23:30 on 1 March at UTC+09:00 is 14:30 UTC: Japan date 1 March.
    const early = await orderOne(t);
    withDatabase(t, (db) =>
      db.prepare("UPDATE esims SET last_updated_at = '2026-03-01T00:00:00.000Z' WHERE iccid = ?").run(early.iccid),
    );
    await applyEvent(t, early.iccid, { event: 'install', imei: IMEI, occurredAt: '2026-03-01T10:00:00.000+09:00' });
    const connected = await applyEvent(t, early.iccid, {
      event: 'connect',
      imei: IMEI,
      occurredAt: '2026-03-01T23:30:00+09:00',
    });
    expect(connected).toMatchObject({
      initialInsertionAt: '2026-03-01T01:00:00.000Z',
      activatedOn: '2026-03-01',
      expiresOn: '2026-03-07',
      lastUpdatedAt: '2026-03-01T14:30:00.000Z',
    });
  });

  it('may be now exactly, not one millisecond later', async () => {
    const ordered = await orderOne(t);
    clock.advance(1000);
    const future = await sendEvent(t, ordered.iccid, { event: 'download', occurredAt: clock.plus(1) });
    const body = expectViolation(future, 'body.occurredAt');
    expect(body.errors).toEqual([
      { path: 'body.occurredAt', message: `must not be later than the sandbox clock's now (${clock.iso()})` },
    ]);
    expect(await applyEvent(t, ordered.iccid, { event: 'download', occurredAt: clock.iso() })).toMatchObject({
      downloadedAt: clock.iso(),
    });
  });

  it("may be the eSIM's lastUpdatedAt exactly, not one millisecond earlier", async () => {
    const ordered = await orderOne(t);
    clock.advance(1000);
    const earlier = new Date(Date.parse(ordered.lastUpdatedAt) - 1).toISOString();
    const body = expectViolation(
      await sendEvent(t, ordered.iccid, { event: 'download', occurredAt: earlier }),
      'body.occurredAt',
    );
    expect(body.errors).toEqual([
      {
        path: 'body.occurredAt',
        message: `must not be earlier than the eSIM's lastUpdatedAt (${ordered.lastUpdatedAt}): events are recorded in order`,
      },
    ]);
    expect(await applyEvent(t, ordered.iccid, { event: 'download', occurredAt: ordered.lastUpdatedAt })).toMatchObject({
      downloadedAt: ordered.lastUpdatedAt,
    });
  });
});

describe('validation (400 naming the field and the rule; nothing changes)', () => {
  let iccid: string;
  beforeAll(async () => {
    iccid = (await orderOne(t)).iccid;
  });

  const invalid: [string, unknown, string, RegExp][] = [
    [
      'an unknown event',
      { event: 'explode' },
      'body.event',
      /must be one of "download", "install", "install_failed", "connect", "terminate"/,
    ],
    ['no event', {}, 'body.event', /is required/],
    ['install without imei', { event: 'install' }, 'body.imei', /^is required for the install event/],
    ['connect without imei', { event: 'connect' }, 'body.imei', /^is required for the connect event/],
    [
      'download with an imei',
      { event: 'download', imei: IMEI },
      'body.imei',
      /^is not taken by the download event; only install and connect carry an IMEI$/,
    ],
    ['terminate with an imei', { event: 'terminate', imei: IMEI }, 'body.imei', /^is not taken by the terminate event/],
    [
      'an imei of 14 digits',
      { event: 'install', imei: '49015420323751' },
      'body.imei',
      /^must be 15 digits long, got 14$/,
    ],
    [
      'an imei with a letter',
      { event: 'install', imei: '49015420323751X' },
      'body.imei',
      /^must contain only decimal digits/,
    ],
    [
      'an imei with a wrong Luhn digit',
      { event: 'install', imei: '490154203237517' },
      'body.imei',
      /^has a wrong check digit: the Luhn digit \(3GPP TS 23.003\) for 49015420323751 is 8, not 7$/,
    ],
    ['an imei as a number', { event: 'install', imei: 490154203237518 }, 'body.imei', /must be a string/],
    [
      'occurredAt without a time',
      { event: 'download', occurredAt: '2026-03-01' },
      'body.occurredAt',
      /ISO 8601 date-time with a time zone/,
    ],
    [
      'occurredAt without a time zone',
      { event: 'download', occurredAt: '2026-03-01T10:00:00' },
      'body.occurredAt',
      /ISO 8601 date-time with a time zone/,
    ],
    [
      'occurredAt on 30 February',
      { event: 'download', occurredAt: '2026-02-30T10:00:00Z' },
      'body.occurredAt',
      /ISO 8601 date-time/,
    ],
    [
      'occurredAt on a leap second',
      { event: 'download', occurredAt: '2016-12-31T23:59:60Z' },
      'body.occurredAt',
      /ISO 8601 date-time with a time zone/,
    ],
    [
      'occurredAt as epoch milliseconds',
      { event: 'download', occurredAt: 1767225600000 },
      'body.occurredAt',
      /must be a string/,
    ],
    [
      'an extra property',
      { event: 'download', device: 'x' },
      'body.device',
      /is not a known property; allowed: event, imei, occurredAt/,
    ],
    ['an array body', [{ event: 'download' }], 'body', /JSON object/],
  ];

  it.each(invalid.map(([name, body, path, message]) => ({ name, body, path, message })))(
    '$name -> 400 at $path',
    async ({ body, path, message }) => {
      const before = esimRow(t, iccid);
      expectViolation(await sendEvent(t, iccid, body), path, message);
      expect(esimRow(t, iccid)).toEqual(before);
    },
  );

  it('lists every invalid field in one answer', async () => {
    const res = await sendEvent(t, iccid, { event: 'install', imei: '12345', occurredAt: 'yesterday', extra: true });
    const body = expectProblem(res, 400, 'VALIDATION_ERROR');
    expect(body.errors!.map((e) => e.path).sort()).toEqual(['body.extra', 'body.imei', 'body.occurredAt']);
  });

  it('checks the path ICCID like every other route', async () => {
    expectViolation(await sendEvent(t, '8900100000000000001', { event: 'download' }), 'path.iccid', /check digit/);
  });

  it('answers 404 ESIM_NOT_FOUND for a valid but unknown ICCID', async () => {
    const body = expectProblem(await sendEvent(t, UNKNOWN_ICCID, { event: 'download' }), 404, 'ESIM_NOT_FOUND');
    expect(body.detail).toBe(`no eSIM with ICCID ${UNKNOWN_ICCID}`);
  });

  it('refuses a body that is not JSON with 415', async () => {
    const res = await t.call('POST', `/v1/sandbox/esims/${iccid}/events`, {
      payload: 'event=download',
      headers: { 'content-type': 'text/plain' },
    });
    expectProblem(res, 415, 'UNSUPPORTED_MEDIA_TYPE');
  });
});

describe('events and the other operations', () => {
  it('a later connect with another IMEI changes nothing, not even lastUpdatedAt', async () => {
    const { iccid } = await orderOne(t);
    await applyEvent(t, iccid, { event: 'install', imei: IMEI });
    const first: Esim = await applyEvent(t, iccid, { event: 'connect', imei: IMEI });
    const row = esimRow(t, iccid);
    clock.advance(5 * HOUR_MS);
    expect(await applyEvent(t, iccid, { event: 'connect', imei: OTHER_IMEI })).toEqual(first);
    expect(esimRow(t, iccid)).toEqual(row);
  });

  it('emergency control on an eSIM terminated by the terminate event -> 409 ESIM_TERMINATED', async () => {
    const { iccid } = await orderOne(t);
    await applyEvent(t, iccid, { event: 'terminate' });
    expectProblem(
      await t.call('POST', `/v1/esims/${iccid}/emergency-control`, { body: { action: 'suspend' } }),
      409,
      'ESIM_TERMINATED',
    );
  });
});
