import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import {
  esimRow,
  expectProblem,
  expectViolation,
  getEsim,
  manualClock,
  orderOne,
  UNKNOWN_ICCID,
  type Esim,
} from './support.js';

const clock = manualClock('2026-02-01T00:00:00.000Z');
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ RATE_LIMITS: 'off' }, clock.now);
});
afterAll(async () => t.close());

const putUsage = (iccid: string, body: unknown) => t.call('PUT', `/v1/sandbox/esims/${iccid}/data-usage`, { body });

// The seed reference's example: three days of 100 MB (102400 KB).
const SEED_EXAMPLE = [
  { day: '2025-12-10', usage: '102400' },
  { day: '2025-12-11', usage: '102400' },
  { day: '2025-12-12', usage: '102400' },
];
const MAX_SAFE = '9007199254740991'; // 2^53 - 1
const TWO_POW_52 = '4503599627370496';

/** `count` consecutive days from 2020-01-01, each with `usage`. */
function days(count: number, usage = '1'): { day: string; usage: string }[] {
  const start = Date.UTC(2020, 0, 1);
  return Array.from({ length: count }, (_, i) => ({
    day: new Date(start + i * 86_400_000).toISOString().slice(0, 10),
    usage,
  }));
}

let esim: Esim;
beforeEach(async () => {
  esim = await orderOne(t);
});

describe('PUT /v1/sandbox/esims/{iccid}/data-usage', () => {
  it("sets the seed's three-day example and the status shows its total", async () => {
    const updatedAt = clock.advance(3_600_000);
    const res = await putUsage(esim.iccid, SEED_EXAMPLE);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      message: 'Data usage updated successfully',
      iccid: esim.iccid,
      dataUsageDailyList: SEED_EXAMPLE,
    });
    expect(await getEsim(t, esim.iccid)).toEqual({
      ...esim,
      dataUsageDailyList: SEED_EXAMPLE,
      totalDataUsage: 307200,
      lastUpdatedAt: updatedAt,
    });
  });

  it('lists the days sorted, whatever order they were sent in', async () => {
    const shuffled = [SEED_EXAMPLE[2]!, SEED_EXAMPLE[0]!, SEED_EXAMPLE[1]!];
    const res = await putUsage(esim.iccid, shuffled);
    expect(res.json().dataUsageDailyList).toEqual(SEED_EXAMPLE);
    expect((await getEsim(t, esim.iccid)).dataUsageDailyList).toEqual(SEED_EXAMPLE);
  });

  it('replaces the whole list instead of merging', async () => {
    await putUsage(esim.iccid, SEED_EXAMPLE);
    const replacement = [{ day: '2026-01-05', usage: '5' }];
    const res = await putUsage(esim.iccid, replacement);
    expect(res.json().dataUsageDailyList).toEqual(replacement);
    expect(await getEsim(t, esim.iccid)).toMatchObject({ dataUsageDailyList: replacement, totalDataUsage: 5 });
  });

  it('clears the list with []', async () => {
    await putUsage(esim.iccid, SEED_EXAMPLE);
    const clearedAt = clock.advance(1000);
    const res = await putUsage(esim.iccid, []);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      message: 'Data usage updated successfully',
      iccid: esim.iccid,
      dataUsageDailyList: [],
    });
    expect(await getEsim(t, esim.iccid)).toEqual({ ...esim, lastUpdatedAt: clearedAt });
  });

  it('moves lastUpdatedAt on every update', async () => {
    const first = clock.advance(5000);
    await putUsage(esim.iccid, SEED_EXAMPLE);
    expect((await getEsim(t, esim.iccid)).lastUpdatedAt).toBe(first);
    const second = clock.advance(5000);
    await putUsage(esim.iccid, SEED_EXAMPLE.slice(0, 1));
    expect((await getEsim(t, esim.iccid)).lastUpdatedAt).toBe(second);
    expect(second > first).toBe(true);
  });

  it('leaves lastUpdatedAt alone when the same list is sent again (no change, like emergency control)', async () => {
    const first = clock.advance(5000);
    await putUsage(esim.iccid, SEED_EXAMPLE);
    clock.advance(5000);
    const again = await putUsage(esim.iccid, [...SEED_EXAMPLE].reverse());
    expect(again.statusCode).toBe(200);
    expect(again.json().dataUsageDailyList).toEqual(SEED_EXAMPLE);
    expect((await getEsim(t, esim.iccid)).lastUpdatedAt).toBe(first);
  });

  it('accepts a day and a total of exactly 2^53 - 1 KB', async () => {
    const res = await putUsage(esim.iccid, [{ day: '2025-01-01', usage: MAX_SAFE }]);
    expect(res.statusCode).toBe(200);
    expect((await getEsim(t, esim.iccid)).totalDataUsage).toBe(Number.MAX_SAFE_INTEGER);
  });

  it('accepts 2^52 + (2^52 - 1), a sum of exactly 2^53 - 1', async () => {
    const res = await putUsage(esim.iccid, [
      { day: '2025-01-01', usage: TWO_POW_52 },
      { day: '2025-01-02', usage: '4503599627370495' },
    ]);
    expect(res.statusCode).toBe(200);
    expect((await getEsim(t, esim.iccid)).totalDataUsage).toBe(Number.MAX_SAFE_INTEGER);
  });

  it('accepts a leap day and 1000 items', async () => {
    expect((await putUsage(esim.iccid, [{ day: '2024-02-29', usage: '1' }])).statusCode).toBe(200);
    const res = await putUsage(esim.iccid, days(1000, '2'));
    expect(res.statusCode).toBe(200);
    expect((await getEsim(t, esim.iccid)).totalDataUsage).toBe(2000);
  });

  it('answers 404 ESIM_NOT_FOUND for a valid but unknown ICCID', async () => {
    const body = expectProblem(await putUsage(UNKNOWN_ICCID, SEED_EXAMPLE), 404, 'ESIM_NOT_FOUND');
    expect(body.detail).toContain(UNKNOWN_ICCID);
  });

  it('answers 400 naming path.iccid for an invalid ICCID', async () => {
    expectViolation(await putUsage('8900100000000000001', SEED_EXAMPLE), 'path.iccid', /check digit/);
  });

  describe('body validation (400 naming the item and field; the eSIM is unchanged)', () => {
    const ok = { day: '2025-12-10', usage: '102400' };
    const invalid: [string, unknown, string, RegExp][] = [
      ['day 2025-02-29 (not a leap year)', [ok, { day: '2025-02-29', usage: '1' }], 'body[1].day', /calendar date/],
      ['day 2025-13-01', [{ day: '2025-13-01', usage: '1' }], 'body[0].day', /calendar date/],
      ['day 2025-04-31', [{ day: '2025-04-31', usage: '1' }], 'body[0].day', /calendar date/],
      ['day 2025-1-1', [{ day: '2025-1-1', usage: '1' }], 'body[0].day', /calendar date/],
      ['day with a time', [{ day: '2025-01-01T00:00:00Z', usage: '1' }], 'body[0].day', /calendar date/],
      ['day a number', [ok, ok, { day: 20250101, usage: '1' }], 'body[2].day', /string/],
      ['day missing', [{ usage: '1' }], 'body[0].day', /required/],
      [
        'a repeated day',
        [ok, { day: '2025-12-11', usage: '1' }, { day: '2025-12-10', usage: '2' }],
        'body[2].day',
        /body\[0\]/,
      ],
      ['usage "-1"', [{ day: '2025-01-01', usage: '-1' }], 'body[0].usage', /pattern|digits/],
      ['usage "1.5"', [{ day: '2025-01-01', usage: '1.5' }], 'body[0].usage', /pattern|digits/],
      ['usage "1e3"', [{ day: '2025-01-01', usage: '1e3' }], 'body[0].usage', /pattern|digits/],
      ['usage ""', [{ day: '2025-01-01', usage: '' }], 'body[0].usage', /pattern|digits/],
      ['usage " 1"', [{ day: '2025-01-01', usage: ' 1' }], 'body[0].usage', /pattern|digits/],
      ['usage 100 (a number)', [ok, { day: '2025-01-01', usage: 100 }], 'body[1].usage', /string/],
      ['usage null', [{ day: '2025-01-01', usage: null }], 'body[0].usage', /string/],
      ['usage missing', [{ day: '2025-01-01' }], 'body[0].usage', /required/],
      [
        'usage 2^53 (9007199254740992)',
        [{ day: '2025-01-01', usage: '9007199254740992' }],
        'body[0].usage',
        /2\^53 - 1/,
      ],
      [
        'two days of 2^52 (sum over 2^53 - 1)',
        [
          { day: '2025-01-01', usage: TWO_POW_52 },
          { day: '2025-01-02', usage: TWO_POW_52 },
        ],
        'body',
        /sum/,
      ],
      [
        'an unknown item property',
        [{ day: '2025-01-01', usage: '1', unit: 'KB' }],
        'body[0].unit',
        /not a known property/,
      ],
      ['an item that is not an object', [ok, '2025-01-01'], 'body[1]', /object/],
      ['an object instead of an array', { day: '2025-01-01', usage: '1' }, 'body', /array/],
      ['the seed list wrapped in an object', { dataUsageDailyList: SEED_EXAMPLE }, 'body', /array/],
      ['1001 items', days(1001), 'body', /1000/],
    ];
    it.each(invalid.map(([name, body, path, message]) => ({ name, body, path, message })))(
      '$name -> 400 at $path',
      async ({ body, path, message }) => {
        await putUsage(esim.iccid, SEED_EXAMPLE);
        const before = esimRow(t, esim.iccid);
        clock.advance(1000);
        expectViolation(await putUsage(esim.iccid, body), path, message);
        expect(esimRow(t, esim.iccid)).toEqual(before);
      },
    );

    it('names every invalid item, not only the first', async () => {
      const body = expectViolation(
        await putUsage(esim.iccid, [
          { day: '2025-02-30', usage: '1' },
          { day: '2025-01-01', usage: 'x' },
        ]),
        'body[0].day',
      );
      expect(body.errors!.map((e) => e.path).sort()).toEqual(['body[0].day', 'body[1].usage']);
    });
  });
});
