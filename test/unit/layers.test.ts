/**
 * The layer rules of docs/architecture.md, checked on the import statements of src/: the
 * domain imports no other layer but the contract; the use cases (service/) nothing of the
 * HTTP layer; the store nothing of the HTTP layer or of the environment (config.ts).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SRC = fileURLToPath(new URL('../../src/', import.meta.url));

/** Every .ts file under a folder of src/, with the src/-relative files it imports. */
function importsOf(folder: string): { file: string; imports: string[] }[] {
  const files = readdirSync(join(SRC, folder), { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts'));
  return files.map((name) => {
    const path = join(SRC, folder, name);
    const text = readFileSync(path, 'utf8');
    const imports = [...text.matchAll(/^\s*(?:import|export)\b[^'"]*?from\s+'(\.[^']+)'/gm)].map((m) =>
      relative(SRC, resolve(dirname(path), m[1]!)),
    );
    return { file: relative(SRC, path), imports };
  });
}

const broken = (folder: string, forbidden: (target: string) => boolean) =>
  importsOf(folder).flatMap(({ file, imports }) => imports.filter(forbidden).map((target) => `${file} -> ${target}`));

describe('layer rules (imports)', () => {
  it('domain/ imports only domain/ and contract/', () => {
    expect(broken('domain', (t) => !t.startsWith('domain/') && !t.startsWith('contract/'))).toEqual([]);
  });

  it('service/ imports nothing from http/', () => {
    expect(broken('service', (t) => t.startsWith('http/'))).toEqual([]);
  });

  it('store/ imports nothing from http/, service/ or config.ts', () => {
    expect(broken('store', (t) => t.startsWith('http/') || t.startsWith('service/') || t === 'config.js')).toEqual([]);
  });

  it('the scan sees imports (a rule over no import would pass vacuously)', () => {
    expect(importsOf('store').some(({ imports }) => imports.includes('store/database-config.js'))).toBe(true);
  });
});
