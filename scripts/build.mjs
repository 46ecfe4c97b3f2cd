/**
 * Builds the server (`tsc -p tsconfig.build.json`: src/ -> dist/), then the console (Vite:
 * console/ -> dist/console/, see console/vite.config.ts).
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
 *
 * The console has a record of its own, `dist/console/.build-ok`, and its own inputs: every
 * file under console/, and src/domain/ and src/contract/ (the bundle imports the lifecycle
 * transition table and the contract's types), plus package.json and package-lock.json. So a
 * change to a route rebuilds only the server, a change to a page only the console, and a start
 * with nothing changed builds nothing. Where Vite is not installed (a production install from
 * the packed tarball, which ships dist/console built), a stale console is left as it is, with a
 * warning.
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
const CONSOLE_SRC = join(ROOT, 'console');
const CONSOLE_DIST = join(DIST, 'console');
const CONSOLE_STAMP = join(CONSOLE_DIST, '.build-ok');
const CONSOLE_INPUT_DIRS = [CONSOLE_SRC, join(SRC, 'domain'), join(SRC, 'contract')];
const CONSOLE_CONFIG_FILES = ['package.json', 'package-lock.json'];

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

/** Every file under `dir` (all kinds: pages, styles, the HTML entry). */
function filesUnder(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name));
}

/** Why dist/console must be rebuilt, or null when it is up to date (or there is no console/ to build). */
function consoleStaleReason() {
  if (!existsSync(join(CONSOLE_SRC, 'index.html'))) return null;
  if (!existsSync(CONSOLE_STAMP) || !existsSync(join(CONSOLE_DIST, 'index.html'))) {
    return 'no successful console build recorded in dist/console/';
  }
  const built = statSync(CONSOLE_STAMP).mtimeMs;
  for (const file of CONSOLE_INPUT_DIRS.flatMap(filesUnder)) {
    if (statSync(file).mtimeMs > built) return `${relative(ROOT, file)} changed since the last console build`;
  }
  for (const name of CONSOLE_CONFIG_FILES) {
    const file = join(ROOT, name);
    if (existsSync(file) && statSync(file).mtimeMs > built) return `${name} changed since the last console build`;
  }
  return null;
}

/** tsc: src/ -> dist/. Exits the process with tsc's status when it fails. */
function buildServer() {
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
}

/** Vite: console/ -> dist/console/. Exits the process with status 1 when the build fails. */
async function buildConsole() {
  let vite;
  try {
    vite = await import('vite');
  } catch {
    process.stderr.write('dist/console/ is out of date, but Vite is not installed (npm ci installs it): not rebuilt\n');
    return;
  }
  const began = new Date();
  rmSync(CONSOLE_STAMP, { force: true });
  try {
    await vite.build({ configFile: join(CONSOLE_SRC, 'vite.config.ts') });
  } catch (error) {
    process.stderr.write(`the console build failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  }
  closeSync(openSync(CONSOLE_STAMP, 'w'));
  utimesSync(CONSOLE_STAMP, began, began);
}

const ifStale = process.argv.includes('--if-stale');
const serverReason = ifStale ? staleReason() : 'npm run build';
const consoleReason = ifStale
  ? consoleStaleReason()
  : existsSync(join(CONSOLE_SRC, 'index.html'))
    ? 'npm run build'
    : null;
if (serverReason === null && consoleReason === null) {
  process.stderr.write('dist/ is up to date: not rebuilding (npm run build forces a build)\n');
  process.exit(0);
}
if (serverReason !== null) {
  if (ifStale) process.stderr.write(`building dist/: ${serverReason}\n`);
  buildServer();
}
if (consoleReason !== null) {
  if (ifStale) process.stderr.write(`building dist/console/: ${consoleReason}\n`);
  await buildConsole();
}
