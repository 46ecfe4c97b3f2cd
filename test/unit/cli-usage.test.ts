import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/run.js';

/** Runs the CLI in-process (usage errors never reach the network) and keeps what it wrote. */
async function cli(...argv: string[]): Promise<{ code: number | 'running'; stderr: string }> {
  let stderr = '';
  const code = await runCli(argv, {
    stdout: () => undefined,
    stderr: (text) => {
      stderr += text;
    },
    env: { ESIM_SANDBOX_API_KEY: 'sk_test_unused' },
    signal: new AbortController().signal,
  });
  return { code, stderr: stderr.split('\n')[0]! };
}

describe('CLI usage errors name the option and what was given', () => {
  it('a negative number after an option that takes a value', async () => {
    expect(await cli('clock', 'advance', '--days', '-1')).toEqual({
      code: 2,
      stderr: 'esim-sandbox: --days needs a value, got the option-like "-1" (write --days=-1 to pass it as the value)',
    });
  });

  it('the same value given with = reaches the rule of the option', async () => {
    expect(await cli('clock', 'advance', '--days=-1')).toEqual({
      code: 2,
      stderr: 'esim-sandbox: --days must be a non-negative integer, got "-1"',
    });
  });

  it('an option without its value, a flag with one, an unknown option', async () => {
    expect(await cli('clock', 'advance', '--hours')).toEqual({
      code: 2,
      stderr: 'esim-sandbox: --hours needs a value',
    });
    expect(await cli('clock', 'reset', '--json=yes')).toEqual({
      code: 2,
      stderr: 'esim-sandbox: --json takes no value',
    });
    expect(await cli('clock', 'reset', '-x')).toEqual({
      code: 2,
      stderr: 'esim-sandbox: unknown option -x (--help lists the options)',
    });
  });
});
