/**
 * Renders the OpenAPI document exactly as the server serves it at /openapi.json, from an
 * app built on a throw-away database.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildApp } from '../app.js';
import { loadConfig } from '../config.js';

/** The served document, as pretty-printed JSON with a trailing newline. */
export async function renderOpenApi(): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'esim-sandbox-openapi-'));
  try {
    const config = loadConfig({
      DATABASE_URL: `sqlite:${join(dir, 'sandbox.db')}`,
      SANDBOX_API_KEYS: 'docs:docs-key-000',
      LOG_LEVEL: 'silent',
    });
    const { app } = await buildApp(config);
    try {
      const response = await app.inject({ method: 'GET', url: '/openapi.json' });
      return `${JSON.stringify(response.json(), null, 2)}\n`;
    } finally {
      await app.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
