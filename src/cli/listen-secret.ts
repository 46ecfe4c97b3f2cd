/**
 * The signing secret of `esim-sandbox listen`: created once, kept in the user's configuration
 * directory (mode 0600) so that a receiver configured with it keeps verifying across runs,
 * as `stripe listen` keeps its secret.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * The CLI's configuration directory: `ESIM_SANDBOX_CONFIG_DIR`, else
 * `$XDG_CONFIG_HOME/esim-sandbox` (XDG Base Directory specification), else
 * `~/.config/esim-sandbox`.
 */
export function configDir(env: NodeJS.ProcessEnv): string {
  if (env.ESIM_SANDBOX_CONFIG_DIR) return env.ESIM_SANDBOX_CONFIG_DIR;
  return join(env.XDG_CONFIG_HOME || join(homedir(), '.config'), 'esim-sandbox');
}

const SECRET = /^whsec_[A-Za-z0-9_-]{32,}$/;

/**
 * Reads the secret from `<configDir>/listen-secret`, or creates it (`whsec_` and 32 random
 * bytes, base64url) when the file is missing or does not hold one.
 * @returns the secret and the file it is kept in.
 * @throws Error when the directory cannot be created or written.
 */
export function listenSecret(env: NodeJS.ProcessEnv): { secret: string; file: string } {
  const dir = configDir(env);
  const file = join(dir, 'listen-secret');
  try {
    const stored = readFileSync(file, 'utf8').trim();
    if (SECRET.test(stored)) return { secret: stored, file };
  } catch {
    // not there yet: created below
  }
  const secret = `whsec_${randomBytes(32).toString('base64url')}`;
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  writeFileSync(file, `${secret}\n`, { mode: 0o600 });
  return { secret, file };
}
