/** The pure webhook rules: which events a change makes, backoff, signatures, URLs, refused addresses. */
import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { refusedAddressKind } from '../../src/domain/network-address.js';
import {
  MAX_ATTEMPTS,
  isDelivered,
  retryDelayMs,
  signatureHeader,
  verifySignature,
  webhookUrlViolations,
} from '../../src/domain/webhook-delivery.js';
import { esimChangeEvents, orderCompletedEvent } from '../../src/domain/webhook-events.js';
import type { EsimState } from '../../src/domain/esim.js';
import { freshEsim } from './fixtures.js';

const ICCID = '8900000000000000011';
const AT = '2026-11-29T12:00:00.000Z';
const fresh = freshEsim(AT);

describe('esimChangeEvents', () => {
  it('reports a suspension as esim.status_changed with the statuses before and after', () => {
    const after = { ...fresh, contractStatus: 'SUSPENDED', isServiceRestricted: true } as EsimState;
    const events = esimChangeEvents(fresh, after, AT);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ type: 'esim.status_changed', orderingKey: ICCID, iccid: ICCID, createdAt: AT });
    expect(events[0]!.data).toMatchObject({
      previous: { contractStatus: 'ACTIVE', isServiceRestricted: false },
      current: { contractStatus: 'SUSPENDED', isServiceRestricted: true },
      esim: after,
    });
  });

  it('reports a usage change as esim.usage_updated, after a status change in the same write', () => {
    const after = {
      ...fresh,
      profileInstallStatus: 'DOWNLOADED',
      dataUsageDailyList: [{ day: '2026-11-28', usage: '5' }],
      totalDataUsage: 5,
    } as EsimState;
    expect(esimChangeEvents(fresh, after, AT).map((e) => e.type)).toEqual([
      'esim.status_changed',
      'esim.usage_updated',
    ]);
    expect(esimChangeEvents(fresh, after, AT)[1]!.data).toMatchObject({ previousTotalDataUsage: 0, totalDataUsage: 5 });
  });

  it('reports nothing when only other fields changed', () => {
    expect(esimChangeEvents(fresh, { ...fresh, lastUpdatedAt: '2026-11-30T00:00:00.000Z' }, AT)).toEqual([]);
  });

  it('orders an order.completed by its transactionId', () => {
    const event = orderCompletedEvent({ transactionId: 't-1', planCode: 'KD0001', quantity: 1, iccids: [ICCID] }, AT);
    expect(event).toMatchObject({ type: 'order.completed', orderingKey: 't-1', iccid: null });
  });
});

describe('delivery rules', () => {
  it('counts any 2xx, and only a 2xx, as delivered', () => {
    expect([200, 202, 204, 299].map(isDelivered)).toEqual([true, true, true, true]);
    expect([null, 199, 300, 301, 404, 500].map(isDelivered)).toEqual([false, false, false, false, false, false]);
  });

  it('backs off exponentially with equal jitter: attempt n waits between half and all of base x 2^(n-1)', () => {
    expect(MAX_ATTEMPTS).toBe(8);
    expect(retryDelayMs(1, 1000, 0)).toBe(500);
    expect(retryDelayMs(1, 1000, 0.999999)).toBe(1000);
    expect(retryDelayMs(3, 1000, 0)).toBe(2000);
    expect(retryDelayMs(7, 1000, 0.5)).toBe(48_000);
  });

  it('signs "t.body" with HMAC-SHA256 and verifies it within the tolerance', () => {
    const header = signatureHeader('whsec_test', 1_800_000_000, '{"a":1}');
    const expected = createHmac('sha256', 'whsec_test').update('1800000000.{"a":1}').digest('hex');
    expect(header).toBe(`t=1800000000,v1=${expected}`);
    expect(verifySignature(header, 'whsec_test', '{"a":1}', 1_800_000_100)).toBe(true);
    expect(verifySignature(header, 'whsec_test', '{"a":2}', 1_800_000_100)).toBe(false);
    expect(verifySignature(header, 'whsec_other', '{"a":1}', 1_800_000_100)).toBe(false);
    expect(verifySignature(header, 'whsec_test', '{"a":1}', 1_800_000_301)).toBe(false);
    expect(verifySignature('v1=abc', 'whsec_test', '{"a":1}', 1_800_000_000)).toBe(false);
  });

  it.each([
    ['https://reseller.example/hooks?x=1', null],
    ['http://127.0.0.1:8080/hooks', null],
    ['mailto:ops@reseller.example', /http or https, got mailto/],
    ['https://a:b@reseller.example/', /user name or password/],
    ['https://reseller.example/#top', /fragment/],
    ['/hooks', /absolute URL/],
    [' https://reseller.example/hooks', /spaces or control characters/],
    ['https://reseller.example/a b', /spaces or control characters/],
    ['http:reseller.example/hooks', /http:\/\/ or https:\/\/, then the host/],
    ['http:///reseller.example/hooks', /http:\/\/ or https:\/\/, then the host/],
    ['https://reseller.example/\ud800', /well-formed Unicode/],
    ['http://127.0.0.1:0/hooks', /port from 1 to 65535, got 0/],
    ['http://127.0.0.1:99999/hooks', /port from 1 to 65535, got 99999/],
    ['http://[::1]:65536/hooks', /port from 1 to 65535, got 65536/],
    ['https://user@reseller.example:8443/hooks', /user name or password/],
  ])('URL %s', (url, message) => {
    const violations = webhookUrlViolations(url);
    if (message === null) expect(violations).toEqual([]);
    else expect(violations).toEqual([{ path: 'body.url', message: expect.stringMatching(message) }]);
  });
});

describe('refusedAddressKind', () => {
  it.each([
    ['127.0.0.1', /loopback/],
    ['127.255.255.254', /loopback/],
    ['::1', /loopback/],
    ['10.0.0.1', /private/],
    ['172.31.255.255', /private/],
    ['192.168.0.1', /private/],
    ['fd00::1', /private/],
    ['169.254.169.254', /link-local/],
    ['fe80::1', /link-local/],
    ['::ffff:7f00:1', /loopback/],
    ['::ffff:10.1.1.1', /private/],
    ['0.0.0.0', /unspecified/],
    ['100.64.0.1', /carrier-grade NAT/],
    ['224.0.0.1', /multicast/],
    ['not-an-ip', /not an IP address/],
    ['192.0.2.1', /documentation/],
    ['192.88.99.1', /6to4 relay/],
    ['::127.0.0.1', /IPv4-compatible/],
    ['64:ff9b::7f00:1', /NAT64/],
    ['64:ff9b:1::a00:1', /local-use NAT64/],
    ['2002:7f00:1::', /6to4/],
    ['2001:db8::1', /documentation/],
    ['100::1', /discard-only/],
    ['2001::1', /IETF protocol assignment/],
  ])('refuses %s', (address, kind) => {
    expect(refusedAddressKind(address)).toMatch(kind);
  });

  it.each(['93.184.215.14', '8.8.8.8', '172.32.0.1', '2606:4700:4700::1111'])(
    'accepts the public address %s',
    (address) => {
      expect(refusedAddressKind(address)).toBeNull();
    },
  );
});
