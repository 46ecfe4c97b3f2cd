import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { LIFECYCLE_EVENTS, type LifecycleEvent } from '../../src/contract/lifecycle.js';
import { CLOCK_RULES } from '../../src/domain/clock.js';
import { DomainError, RuleViolation } from '../../src/domain/errors.js';
import { newEsim, type EsimState } from '../../src/domain/esim.js';
import {
  allowedEvents,
  applyLifecycleEvent,
  eventInstant,
  lifecycleRequestViolations,
  lifecycleState,
  TRANSITIONS,
  type EventContext,
} from '../../src/domain/lifecycle.js';
import { toCatalogPlan } from '../../src/domain/plans.js';
import { makePlan } from './fixtures.js';

const IMEI_A = '490154203237518';
const IMEI_B = '352099001761481';
const ORDERED_AT = '2026-02-20T03:00:00.000Z';
// 16:30 UTC on 1 March is 01:30 on 2 March in Japan: the UTC and Japan dates differ.
const AT = new Date('2026-03-01T16:30:00.000Z');
const AT_ISO = '2026-03-01T16:30:00.000Z';
const context = (overrides: Partial<EventContext> = {}): EventContext => ({
  at: AT,
  imei: null,
  validityDays: 7,
  ...overrides,
});

const ready: EsimState = newEsim(toCatalogPlan(makePlan('KD0001', 'KDDI', ['JP']), 'JP'), {
  iccid: '8900000000000000011',
  matchingId: 'K2F9Q-7ZJ4M-XW3TD-8HN6C',
  smdpAddress: 'smdp.sandbox.example',
  orderedAt: new Date(ORDERED_AT),
});

// One eSIM in each lifecycle state, written field by field (not made by the rules under test).
const downloaded: EsimState = {
  ...ready,
  profileProvisionStatus: 'DOWNLOADED',
  profileInstallStatus: 'DOWNLOADED',
  downloadedAt: '2026-02-21T00:00:00.000Z',
  lastUpdatedAt: '2026-02-21T00:00:00.000Z',
};
const installed: EsimState = {
  ...downloaded,
  profileInstallStatus: 'INSTALLED',
  initialInsertionDevice: IMEI_A,
  initialInsertionAt: '2026-02-22T00:00:00.000Z',
  lastUpdatedAt: '2026-02-22T00:00:00.000Z',
};
const activated: EsimState = {
  ...installed,
  initialConnectionDevice: IMEI_A,
  activatedOn: '2026-02-23',
  expiresOn: '2026-03-01',
  lastUpdatedAt: '2026-02-23T00:00:00.000Z',
};
const failed: EsimState = {
  ...ready,
  profileInstallStatus: 'CONFIRMATION_FAILED',
  profileProvisionStatus: 'ERROR',
  lastUpdatedAt: '2026-02-21T00:00:00.000Z',
};
const failedAfterDownload: EsimState = {
  ...downloaded,
  profileInstallStatus: 'CONFIRMATION_FAILED',
  profileProvisionStatus: 'ERROR',
};
const terminated: EsimState = {
  ...activated,
  contractStatus: 'TERMINATED',
  terminatedOn: '2026-03-02',
  lastUpdatedAt: '2026-03-01T15:00:00.000Z',
};
const suspend = (esim: EsimState): EsimState => ({ ...esim, contractStatus: 'SUSPENDED', isServiceRestricted: true });

const LIVE_STATES = {
  READY: ready,
  DOWNLOADED: downloaded,
  INSTALLED: installed,
  ACTIVATED: activated,
  CONFIRMATION_FAILED: failed,
} as const;

function refusal(run: () => unknown): DomainError {
  try {
    run();
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('expected a DomainError');
}

describe('lifecycleState', () => {
  it('names each state from the fields', () => {
    expect(lifecycleState(ready)).toBe('READY');
    expect(lifecycleState(downloaded)).toBe('DOWNLOADED');
    expect(lifecycleState(installed)).toBe('INSTALLED');
    expect(lifecycleState(activated)).toBe('ACTIVATED');
    expect(lifecycleState(failed)).toBe('CONFIRMATION_FAILED');
    expect(lifecycleState(failedAfterDownload)).toBe('CONFIRMATION_FAILED');
    expect(lifecycleState(terminated)).toBe('TERMINATED');
    expect(lifecycleState({ ...ready, contractStatus: 'TERMINATED' })).toBe('TERMINATED');
  });

  it('does not depend on the contract being SUSPENDED', () => {
    for (const [state, esim] of Object.entries(LIVE_STATES)) expect(lifecycleState(suspend(esim))).toBe(state);
  });
});

describe('every transition of the table', () => {
  it('download: READY -> DOWNLOADED, profile DOWNLOADED, downloadedAt', () => {
    expect(applyLifecycleEvent(ready, 'download', context())).toEqual({
      ...ready,
      profileProvisionStatus: 'DOWNLOADED',
      profileInstallStatus: 'DOWNLOADED',
      downloadedAt: AT_ISO,
      lastUpdatedAt: AT_ISO,
    });
  });

  it('install from READY implies the download first', () => {
    expect(applyLifecycleEvent(ready, 'install', context({ imei: IMEI_A }))).toEqual({
      ...ready,
      profileProvisionStatus: 'DOWNLOADED',
      profileInstallStatus: 'INSTALLED',
      downloadedAt: AT_ISO,
      initialInsertionDevice: IMEI_A,
      initialInsertionAt: AT_ISO,
      lastUpdatedAt: AT_ISO,
    });
  });

  it('install from DOWNLOADED keeps downloadedAt', () => {
    expect(applyLifecycleEvent(downloaded, 'install', context({ imei: IMEI_B }))).toEqual({
      ...downloaded,
      profileInstallStatus: 'INSTALLED',
      initialInsertionDevice: IMEI_B,
      initialInsertionAt: AT_ISO,
      lastUpdatedAt: AT_ISO,
    });
  });

  it.each([
    ['READY', ready],
    ['DOWNLOADED', downloaded],
  ] as const)('install_failed from %s: CONFIRMATION_FAILED and profile ERROR, nothing else', (_state, esim) => {
    expect(applyLifecycleEvent(esim, 'install_failed', context())).toEqual({
      ...esim,
      profileInstallStatus: 'CONFIRMATION_FAILED',
      profileProvisionStatus: 'ERROR',
      lastUpdatedAt: AT_ISO,
    });
  });

  it('first connect: initialConnectionDevice, activatedOn the Japan date (2 March at 16:30 UTC on 1 March), expiresOn = activatedOn + 7 - 1', () => {
    expect(applyLifecycleEvent(installed, 'connect', context({ imei: IMEI_B }))).toEqual({
      ...installed,
      initialConnectionDevice: IMEI_B,
      activatedOn: '2026-03-02',
      expiresOn: '2026-03-08',
      lastUpdatedAt: AT_ISO,
    });
  });

  it('first connect one millisecond before 00:00 JST takes the Japan date before', () => {
    const at = new Date('2026-03-01T14:59:59.999Z');
    expect(applyLifecycleEvent(installed, 'connect', context({ at, imei: IMEI_A }))).toMatchObject({
      activatedOn: '2026-03-01',
      expiresOn: '2026-03-07',
    });
  });

  it('expiresOn: a 1-day plan expires on its activation day; a 30-day plan crosses the month in Japan time', () => {
    expect(applyLifecycleEvent(installed, 'connect', context({ imei: IMEI_A, validityDays: 1 }))).toMatchObject({
      activatedOn: '2026-03-02',
      expiresOn: '2026-03-02',
    });
    const at = new Date('2024-01-31T15:00:00.000Z'); // 1 February 2024, 00:00 JST
    expect(applyLifecycleEvent(installed, 'connect', context({ at, imei: IMEI_A, validityDays: 30 }))).toMatchObject({
      activatedOn: '2024-02-01',
      expiresOn: '2024-03-01',
    });
  });

  it('a later connect changes nothing, not even lastUpdatedAt (the same object comes back)', () => {
    expect(applyLifecycleEvent(activated, 'connect', context({ imei: IMEI_B }))).toBe(activated);
  });

  it.each([
    ['READY (never downloaded: profile CANCELED)', ready, { profileProvisionStatus: 'CANCELED' }],
    ['DOWNLOADED', downloaded, {}],
    ['INSTALLED', installed, {}],
    ['ACTIVATED', activated, {}],
    ['CONFIRMATION_FAILED before any download (profile CANCELED)', failed, { profileProvisionStatus: 'CANCELED' }],
    ['CONFIRMATION_FAILED after a download (profile stays ERROR)', failedAfterDownload, {}],
  ] as const)('terminate from %s: TERMINATED on the Japan date', (_name, esim, extra) => {
    expect(applyLifecycleEvent(esim, 'terminate', context())).toEqual({
      ...esim,
      contractStatus: 'TERMINATED',
      terminatedOn: '2026-03-02',
      lastUpdatedAt: AT_ISO,
      ...extra,
    });
  });

  it('a SUSPENDED eSIM may download, install, fail to install and be terminated, staying restricted', () => {
    expect(applyLifecycleEvent(suspend(ready), 'download', context())).toMatchObject({
      contractStatus: 'SUSPENDED',
      isServiceRestricted: true,
      profileInstallStatus: 'DOWNLOADED',
    });
    expect(applyLifecycleEvent(suspend(downloaded), 'install', context({ imei: IMEI_A }))).toMatchObject({
      contractStatus: 'SUSPENDED',
      profileInstallStatus: 'INSTALLED',
    });
    expect(applyLifecycleEvent(suspend(ready), 'install_failed', context())).toMatchObject({
      contractStatus: 'SUSPENDED',
      profileInstallStatus: 'CONFIRMATION_FAILED',
    });
    expect(applyLifecycleEvent(suspend(activated), 'terminate', context())).toMatchObject({
      contractStatus: 'TERMINATED',
      isServiceRestricted: true,
      terminatedOn: '2026-03-02',
    });
  });

  it('never changes the eSIM it is given', () => {
    const copy = structuredClone(ready);
    applyLifecycleEvent(ready, 'install', context({ imei: IMEI_A }));
    expect(ready).toEqual(copy);
  });
});

// The allowed events, written out by hand for every (state, contract) pair: the table must agree.
const ALLOWED: Record<string, LifecycleEvent[]> = {
  'READY ACTIVE': ['download', 'install', 'install_failed', 'terminate'],
  'READY SUSPENDED': ['download', 'install', 'install_failed', 'terminate'],
  'DOWNLOADED ACTIVE': ['install', 'install_failed', 'terminate'],
  'DOWNLOADED SUSPENDED': ['install', 'install_failed', 'terminate'],
  'INSTALLED ACTIVE': ['connect', 'terminate'],
  'INSTALLED SUSPENDED': ['terminate'],
  'ACTIVATED ACTIVE': ['connect', 'terminate'],
  'ACTIVATED SUSPENDED': ['terminate'],
  'CONFIRMATION_FAILED ACTIVE': ['terminate'],
  'CONFIRMATION_FAILED SUSPENDED': ['terminate'],
};

describe('every refusal of the table', () => {
  const cases = Object.entries(LIVE_STATES).flatMap(([state, esim]) =>
    (['ACTIVE', 'SUSPENDED'] as const).map((contract) => ({
      state,
      contract,
      esim: contract === 'SUSPENDED' ? suspend(esim) : esim,
    })),
  );

  it.each(cases)(
    '$state $contract allows exactly the events listed, and refuses the others with 409 INVALID_TRANSITION',
    ({ state, contract, esim }) => {
      const allowed = ALLOWED[`${state} ${contract}`]!;
      expect(allowedEvents(esim)).toEqual(allowed);
      for (const event of LIFECYCLE_EVENTS) {
        const ctx = context({ imei: event === 'install' || event === 'connect' ? IMEI_B : null });
        if (allowed.includes(event)) {
          expect(() => applyLifecycleEvent(esim, event, ctx), event).not.toThrow();
          continue;
        }
        const error = refusal(() => applyLifecycleEvent(esim, event, ctx));
        expect(error.code, event).toBe('INVALID_TRANSITION');
        expect(error.message).toBe(
          `the ${event} event does not apply to eSIM 8900000000000000011 in state ${state} ` +
            `(contractStatus ${contract}, profileProvisionStatus ${esim.profileProvisionStatus}, profileInstallStatus ${esim.profileInstallStatus}); ` +
            `events allowed from this state: ${allowed.join(', ')}`,
        );
      }
    },
  );

  it('refuses 28 and allows 22 of the 50 (state, contract, event) combinations of live eSIMs', () => {
    const refused = Object.values(ALLOWED).reduce((sum, allowed) => sum + LIFECYCLE_EVENTS.length - allowed.length, 0);
    expect(refused).toBe(28);
    expect(Object.values(ALLOWED).reduce((sum, allowed) => sum + allowed.length, 0)).toBe(22);
  });

  it.each(LIFECYCLE_EVENTS)('%s on a TERMINATED eSIM -> ESIM_TERMINATED, whatever its other fields', (event) => {
    for (const esim of [terminated, { ...ready, contractStatus: 'TERMINATED' as const, terminatedOn: '2026-03-02' }]) {
      const error = refusal(() => applyLifecycleEvent(esim, event, context({ imei: IMEI_A })));
      expect(error.code).toBe('ESIM_TERMINATED');
      expect(error.message).toBe(
        'eSIM 8900000000000000011 is TERMINATED (terminatedOn 2026-03-02); no lifecycle event applies to a TERMINATED eSIM',
      );
    }
    expect(allowedEvents(terminated)).toEqual([]);
  });
});

describe('the table as data', () => {
  it('lists each (event, state, contract) at most once', () => {
    const keys = TRANSITIONS.flatMap((t) =>
      t.from.flatMap((from) => t.contract.map((contract) => `${t.event} ${from} ${contract}`)),
    );
    expect(new Set(keys).size).toBe(keys.length);
    expect(keys).toHaveLength(22);
  });

  it('leads every transition to the state it names', () => {
    for (const transition of TRANSITIONS) {
      for (const from of transition.from) {
        const esim = LIVE_STATES[from as keyof typeof LIVE_STATES];
        const after = transition.apply(esim, context({ imei: IMEI_A }));
        expect(lifecycleState(after), `${transition.event} from ${from}`).toBe(transition.to);
      }
    }
  });
});

describe('eventInstant', () => {
  const now = new Date('2026-03-05T00:00:00.000Z');

  it('is the sandbox clock now by default', () => {
    expect(eventInstant(activated, undefined, now).toISOString()).toBe('2026-03-05T00:00:00.000Z');
  });

  it('defaults to the eSIM lastUpdatedAt when the clock was reset behind it, so events stay in order', () => {
    const beforeLastChange = new Date('2026-02-20T00:00:00.000Z');
    expect(eventInstant(activated, undefined, beforeLastChange).toISOString()).toBe('2026-02-23T00:00:00.000Z');
  });

  it('accepts occurredAt from the eSIM lastUpdatedAt to now, both included, in any time zone', () => {
    expect(eventInstant(activated, '2026-03-05T00:00:00.000Z', now).toISOString()).toBe('2026-03-05T00:00:00.000Z');
    expect(eventInstant(activated, '2026-02-23T00:00:00.000Z', now).toISOString()).toBe('2026-02-23T00:00:00.000Z');
    expect(eventInstant(activated, '2026-03-05T09:00:00+09:00', now).toISOString()).toBe('2026-03-05T00:00:00.000Z');
  });

  it('refuses an occurredAt one millisecond after now', () => {
    const run = () => eventInstant(activated, '2026-03-05T00:00:00.001Z', now);
    expect(run).toThrow(RuleViolation);
    expect(refusal(run).violations).toEqual([
      { path: 'body.occurredAt', message: "must not be later than the sandbox clock's now (2026-03-05T00:00:00.000Z)" },
    ]);
  });

  it('refuses an occurredAt one millisecond before the eSIM lastUpdatedAt', () => {
    const run = () => eventInstant(activated, '2026-02-22T23:59:59.999Z', now);
    expect(refusal(run).violations).toEqual([
      {
        path: 'body.occurredAt',
        message:
          "must not be earlier than the eSIM's lastUpdatedAt (2026-02-23T00:00:00.000Z): events are recorded in order",
      },
    ]);
  });
});

describe('lifecycleRequestViolations', () => {
  it('requires imei for install and connect', () => {
    expect(lifecycleRequestViolations({ event: 'install' })).toEqual([
      { path: 'body.imei', message: "is required for the install event (the device's 15-digit IMEI)" },
    ]);
    expect(lifecycleRequestViolations({ event: 'connect' })).toEqual([
      { path: 'body.imei', message: "is required for the connect event (the device's 15-digit IMEI)" },
    ]);
    expect(lifecycleRequestViolations({ event: 'install', imei: IMEI_A })).toEqual([]);
  });

  it.each(['download', 'install_failed', 'terminate'])('refuses imei for %s', (event) => {
    expect(lifecycleRequestViolations({ event, imei: IMEI_A })).toEqual([
      { path: 'body.imei', message: `is not taken by the ${event} event; only install and connect carry an IMEI` },
    ]);
    expect(lifecycleRequestViolations({ event })).toEqual([]);
  });

  it('refuses an occurredAt JavaScript cannot represent (a leap second)', () => {
    expect(lifecycleRequestViolations({ event: 'download', occurredAt: '2016-12-31T23:59:60Z' })).toEqual([
      {
        path: 'body.occurredAt',
        message: 'must be an ISO 8601 date-time with a time zone, e.g. 2026-03-01T10:00:00.000Z',
      },
    ]);
    expect(lifecycleRequestViolations({ event: 'download', occurredAt: '2016-12-31T23:59:59Z' })).toEqual([]);
  });

  it('leaves unknown events, wrong types and non-objects to the schema', () => {
    expect(lifecycleRequestViolations({ event: 'explode', imei: IMEI_A })).toEqual([]);
    expect(lifecycleRequestViolations({ event: 1 })).toEqual([]);
    expect(lifecycleRequestViolations({ event: 'download', occurredAt: 5 })).toEqual([]);
    expect(lifecycleRequestViolations([{ event: 'install' }])).toEqual([]);
    expect(lifecycleRequestViolations(null)).toEqual([]);
    expect(lifecycleRequestViolations('install')).toEqual([]);
  });
});

describe('the state diagram of docs/scenarios.md', () => {
  it('draws exactly the transition table and the clock rules', () => {
    const guide = readFileSync(new URL('../../docs/scenarios.md', import.meta.url), 'utf8');
    const block = /```mermaid\n(stateDiagram-v2\n[\s\S]*?)```/.exec(guide)?.[1];
    expect(block, 'docs/scenarios.md has a ```mermaid stateDiagram-v2 block').toBeDefined();
    const drawn = block!
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line.includes('-->') && !line.includes('[*]'));
    const expected = [
      ...TRANSITIONS.flatMap((t) =>
        t.from.map(
          (from) => `${from} --> ${t.to}: ${t.event}${t.contract.length === 1 ? ` (${t.contract[0]} only)` : ''}`,
        ),
      ),
      ...CLOCK_RULES.flatMap((rule) => rule.from.map((from) => `${from} --> TERMINATED: clock, ${rule.name}`)),
    ];
    expect(drawn.sort()).toEqual(expected.sort());
  });
});
