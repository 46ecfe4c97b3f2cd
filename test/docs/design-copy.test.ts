/**
 * docs/DESIGN.md, the repository's copy of the contract: every repository path it names in
 * backticks exists (the seed reference it cites is docs/api-reference.txt, the copy shipped
 * with the code), so a newcomer following it finds the file.
 */
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const root = new URL('../../', import.meta.url);
const design = readFileSync(new URL('docs/DESIGN.md', root), 'utf8');

describe('docs/DESIGN.md', () => {
  it('cites the seed reference at docs/api-reference.txt, and no seed/ path the repository lacks', () => {
    expect(design).toContain('`docs/api-reference.txt`');
    expect(design).not.toMatch(/seed\/000_/);
    expect(readFileSync(new URL('docs/api-reference.txt', root), 'utf8')).toMatch(/\S/);
  });

  it('names only files that exist, among the paths it writes in backticks', () => {
    const paths = [...design.matchAll(/`((?:docs|src|test|scripts|bench)\/[A-Za-z0-9_./-]+\.[a-z]+)`/g)].map(
      (m) => m[1]!,
    );
    expect(paths).toContain('docs/api-reference.txt');
    expect(paths.filter((path) => !existsSync(new URL(path, root)))).toEqual([]);
  });
});
