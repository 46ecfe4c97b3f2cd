/**
 * The compiled server (`npm run build` -> dist/), which the harness runs and seeds through:
 * the benchmark measures what ships, not what tsx would transpile on the fly. Modules are
 * typed from their sources in src/, since dist/ carries no declarations.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { join } from 'node:path';

/** The repository root (the folder holding package.json). */
export const ROOT = fileURLToPath(new URL('..', import.meta.url));
/** The compiled server's folder. */
export const DIST = join(ROOT, 'dist');

/**
 * Imports `dist/<relative>`, typed as `T` (pass `typeof import('../src/<same>.js')`).
 * @throws Error telling to run `npm run build` when the file is missing.
 */
export async function importDist<T>(relative: string): Promise<T> {
  const file = join(DIST, relative);
  if (!existsSync(file)) throw new Error(`${file} is missing: run \`npm run build\` first (\`npm run bench\` does)`);
  return (await import(pathToFileURL(file).href)) as T;
}
