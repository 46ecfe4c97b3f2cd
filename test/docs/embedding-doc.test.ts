/**
 * docs/embedding.md shows test/docs/embedding-example.test.ts (which the suite runs): its
 * TypeScript block is that file, but for the comment on top and the import of the package
 * instead of the source.
 */
import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';

const read = (path: string) => readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8');

it('the example of docs/embedding.md is the file the suite runs', () => {
  const block = /```ts\n([\s\S]*?)```/.exec(read('docs/embedding.md'))![1]!;
  const file = read('test/docs/embedding-example.test.ts')
    .replace(/^(\/\/.*\n)+/, '')
    .replace("from '../../src/index.js'", "from 'esim-commerce-sandbox'");
  expect(block).toBe(file);
  expect(block).toContain("import { startSandbox, type RunningSandbox } from 'esim-commerce-sandbox';");
});
