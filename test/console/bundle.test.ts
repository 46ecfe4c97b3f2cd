/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
/**
 * The built console (dist/console, written by `npm run build`, which `npm test` runs first):
 * at most 200 KB of JavaScript gzipped, every script an external module of the build (no
 * inline script, which the CSP would refuse anyway), and no address of another origin in the
 * page or its scripts' imports.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { CONSOLE_DIR } from '../../src/http/plugins/console.js';

const BUDGET_BYTES = 200 * 1024;

describe('the built console', () => {
  const html = readFileSync(join(CONSOLE_DIR, 'index.html'), 'utf8');
  const scripts = readdirSync(join(CONSOLE_DIR, 'assets')).filter((name) => name.endsWith('.js'));

  it('ships at most 200 KB of JavaScript gzipped', () => {
    const gzipped = scripts.reduce(
      (sum, name) => sum + gzipSync(readFileSync(join(CONSOLE_DIR, 'assets', name)), { level: 9 }).length,
      0,
    );
    expect(scripts.length).toBeGreaterThan(0);
    expect(gzipped).toBeLessThanOrEqual(BUDGET_BYTES);
  });

  it('loads one module script from its own assets, with no inline script and nothing from another origin', () => {
    const tags = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
    expect(tags.map((t) => [/src="([^"]+)"/.exec(t[1]!)?.[1]?.replace(/-[\w-]+\.js$/, '.js'), t[2]])).toEqual([
      ['/console/assets/index.js', ''],
    ]);
    expect(html).not.toMatch(/(src|href)="(https?:)?\/\//);
    for (const name of scripts) {
      const code = readFileSync(join(CONSOLE_DIR, 'assets', name), 'utf8');
      expect(code, name).not.toMatch(/import\s*\(?\s*["']https?:/);
    }
  });
});
