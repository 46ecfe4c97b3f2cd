/**
 * Turns a `PathSpec` into the sequence of paths a load worker sends. Random eSIM picks come
 * from a seeded LCG, so every run asks for the same ICCIDs in the same order and two runs
 * differ only by the server.
 */
import type { PathSpec } from './scenarios.js';

/**
 * A 32-bit linear congruential generator (Numerical Recipes constants), returning floats
 * in [0, 1). Plenty for spreading reads over a key space; not for anything secret.
 */
export function lcg(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0;
    // The high bits of an LCG are the well-mixed ones: use the whole state as a fraction.
    return state / 2 ** 32;
  };
}

/**
 * The path generator of a spec: every call returns the next path.
 * @param iccidOf the sandbox ICCID of a sequence number (`sandboxIccid` from the compiled
 *   server, so that the picks are exactly the seeded eSIMs: sequence numbers 1..count).
 */
export function pathGenerator(spec: PathSpec, iccidOf: (sequence: number) => string): () => string {
  if (spec.kind === 'fixed') return () => spec.path;
  const next = lcg(spec.seed);
  const [before, after] = spec.template.split('{iccid}') as [string, string | undefined];
  if (after === undefined) throw new Error(`path template ${spec.template} has no {iccid}`);
  return () => before + iccidOf(1 + Math.floor(next() * spec.count)) + after;
}
