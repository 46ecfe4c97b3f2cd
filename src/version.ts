/**
 * The sandbox's version: package.json's `version` (semver), the one place it is written.
 * The OpenAPI document's `info.version` is this, so a client generated from the document
 * names the release it came from. Read at start from the package root, one level above this
 * module both in `src/` (tsx, tests) and in `dist/` (the build).
 */
import { readFileSync } from 'node:fs';

const PACKAGE_JSON = new URL('../package.json', import.meta.url);

/** The `version` of package.json, e.g. `0.1.0`. @throws Error when package.json has no version. */
export function packageVersion(file: URL = PACKAGE_JSON): string {
  const { version } = JSON.parse(readFileSync(file, 'utf8')) as { version?: unknown };
  if (typeof version !== 'string' || version === '') throw new Error(`${file.pathname} has no version`);
  return version;
}

/** package.json's version, read once. */
export const VERSION = packageVersion();
