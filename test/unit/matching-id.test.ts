import { describe, expect, it } from 'vitest';
import { newMatchingId } from '../../src/domain/matching-id.js';

const FORMAT = /^[2-9A-HJ-NP-Z]{5}(-[2-9A-HJ-NP-Z]{5}){3}$/;

describe('newMatchingId', () => {
  it('is 4 groups of 5 characters without 0, 1, I or O', () => {
    for (let i = 0; i < 200; i++) {
      const id = newMatchingId();
      expect(id).toMatch(FORMAT);
      expect(id).toHaveLength(23);
    }
  });

  it('gives 1,000 distinct ids', () => {
    const ids = Array.from({ length: 1000 }, () => newMatchingId());
    expect(new Set(ids).size).toBe(1000);
  });

  it('uses all 32 characters of the alphabet', () => {
    const seen = new Set(
      Array.from({ length: 500 }, () => newMatchingId())
        .join('')
        .replace(/-/g, ''),
    );
    expect(seen.size).toBe(32);
    for (const forbidden of ['0', '1', 'I', 'O']) expect(seen.has(forbidden)).toBe(false);
  });
});
