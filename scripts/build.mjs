/**
 * Builds the server (`tsc -p tsconfig.build.json`: src/ -> dist/).
 *
 *   node scripts/build.mjs              always compiles (`npm run build`, `npm test`, `npm run bench`)
 *   node scripts/build.mjs --if-stale   compiles only when dist/ is out of date (`npm start`)
 *
 * dist/ is out of date when there is no record of a successful build (`dist/.build-ok`), when
 * an input was modified after the build that wrote it began (a `.ts` file under src/, the
 * two tsconfig files, package.json or package-lock.json), or when a source file has no compiled
 * `.js` (a file renamed with its old mtime, an output deleted: tsc's incremental state is then
 * dropped too, so that it writes every file again). Comparing mtimes, not contents, keeps an
 * up-to-date start at a few tens of milliseconds, where `tsc` itself needs seconds even when
 * nothing changed.
 *
 * `dist/.build-ok` is written only when tsc exits 0, stamped with the instant the build began
 * (so an edit made during the build counts as newer), and removed before each build: a
 * build that fails (type errors still emit JavaScript) is never taken for a good one, and
 * the next start tries again and shows the errors. Exits with tsc's status.
 */
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, openSync, readdirSync, rmSync, statSync, utimesSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';

const ROOT = dirname(dirname(fileURLToPath(import.meta.url)));
const SRC = join(ROOT, 'src');
const DIST = join(ROOT, 'dist');
const STAMP = join(DIST, '.build-ok');
const CONFIG_FILES = ['tsconfig.json', 'tsconfig.build.json', 'package.json', 'package-lock.json'];

/** Every TypeScript source under `dir` that tsc compiles to a `.js` (declaration files emit nothing). */
function sources(dir) {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts'))
    .map((entry) => join(entry.parentPath, entry.name));
}

/** The compiled file of a source under src/. */
function outputOf(file) {
  return join(DIST, relative(SRC, file)).replace(/\.ts$/, '.js');
}

/** A source whose compiled `.js` is missing from dist/, or undefined when none is. */
function sourceWithoutOutput() {
  return sources(SRC).find((file) => !existsSync(outputOf(file)));
}

/** Why dist/ must be rebuilt, or null when it is up to date. */
function staleReason() {
  if (!existsSync(STAMP)) return 'no successful build recorded in dist/';
  const missing = sourceWithoutOutput();
  if (missing) return `${relative(ROOT, missing)} has no compiled ${relative(ROOT, outputOf(missing))}`;
  const built = statSync(STAMP).mtimeMs;
  for (const file of sources(SRC)) {
    if (statSync(file).mtimeMs > built) return `${relative(ROOT, file)} changed since the last build`;
  }
  for (const name of CONFIG_FILES) {
    const file = join(ROOT, name);
    if (existsSync(file) && statSync(file).mtimeMs > built) return `${name} changed since the last build`;
  }
  return null;
}

const ifStale = process.argv.includes('--if-stale');
const reason = ifStale ? staleReason() : 'npm run build';
if (reason === null) {
  process.stderr.write('dist/ is up to date: not rebuilding (npm run build forces a build)\n');
  process.exit(0);
}
if (ifStale) process.stderr.write(`building dist/: ${reason}\n`);

const began = new Date();
rmSync(STAMP, { force: true });
// tsc's incremental state records what it emitted, not what is still on disk: with an output
// deleted it would emit nothing. Without that state it compiles and writes every file.
if (sourceWithoutOutput()) rmSync(join(DIST, '.tsbuildinfo'), { force: true });
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const result = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { cwd: ROOT, stdio: 'inherit' });
if (result.error) throw result.error;
if (result.status !== 0) process.exit(result.status ?? 1);
closeSync(openSync(STAMP, 'w'));
utimesSync(STAMP, began, began);
