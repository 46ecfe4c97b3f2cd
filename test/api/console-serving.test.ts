/**
 * How the server serves the console (src/http/plugins/console.ts): index.html for every page
 * URL (reload and shared links work), fingerprinted assets with a long cache, a 404 problem for
 * a missing file, the Content-Security-Policy without inline script or another origin, the
 * `GET /` redirect, and a 503 problem naming `npm run build` when nothing is built. On a
 * directory of real files written here, and on the real app with the real build (`npm test`
 * builds dist/console first).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import consolePlugin, { CONSOLE_CSP } from '../../src/http/plugins/console.js';
import { startTestApp, type TestApp } from '../helpers/app.js';

const INDEX =
  '<!doctype html><title>console</title><script type="module" src="/console/assets/index-abc123.js"></script>';

async function appOn(dir: string): Promise<FastifyInstance> {
  const app = Fastify({ logger: false });
  await app.register(consolePlugin, { dir });
  await app.ready();
  return app;
}

describe('the console plugin on a build directory', () => {
  let dir: string;
  let app: FastifyInstance;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'esim-console-'));
    mkdirSync(join(dir, 'assets'));
    writeFileSync(join(dir, 'index.html'), INDEX);
    writeFileSync(join(dir, 'assets', 'index-abc123.js'), 'console.log(1)');
    writeFileSync(join(dir, '.build-ok'), '');
    app = await appOn(dir);
  });
  afterAll(async () => {
    await app.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it.each([
    '/console',
    '/console/',
    '/console/plans',
    '/console/esims/8900000000000000012',
    '/console/requests?status=4xx',
  ])('answers index.html with the CSP at %s', async (url) => {
    const response = await app.inject({ method: 'GET', url });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(response.headers['content-security-policy']).toBe(CONSOLE_CSP);
    expect(response.headers['cache-control']).toBe('no-cache');
    expect(response.body).toBe(INDEX);
  });

  it('serves a fingerprinted asset for a year', async () => {
    const response = await app.inject({ method: 'GET', url: '/console/assets/index-abc123.js' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(response.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.body).toBe('console.log(1)');
  });

  it('answers a 404 problem for a file that is not there, and never serves a dot file', async () => {
    for (const url of ['/console/assets/missing.js', '/console/.build-ok']) {
      const response = await app.inject({ method: 'GET', url });
      expect(response.statusCode, url).toBe(404);
      expect(response.json().code).toBe('NOT_FOUND');
    }
  });

  it('has a policy with no inline script, no eval and no other origin', () => {
    expect(CONSOLE_CSP).toContain("script-src 'self'");
    expect(CONSOLE_CSP).not.toMatch(/unsafe-inline|unsafe-eval|https?:/);
    expect(CONSOLE_CSP).toContain("connect-src 'self'");
  });
});

describe('the console plugin without a build', () => {
  it('answers 503 naming npm run build', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'esim-console-empty-'));
    const app = await appOn(dir);
    try {
      const response = await app.inject({ method: 'GET', url: '/console/plans' });
      expect(response.statusCode).toBe(503);
      expect(response.json().detail).toBe('the console is not built: run npm run build (it writes dist/console)');
    } finally {
      await app.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the real app with the real build', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => t.close());

  it('serves the built index.html at /console/clock, with its one module script and no inline one', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/console/clock' });
    expect(response.statusCode).toBe(200);
    const scripts = [...response.body.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
    expect(scripts).toHaveLength(1);
    expect(scripts[0]![1]).toMatch(/type="module".*src="\/console\/assets\/index-[\w-]+\.js"/);
    expect(scripts[0]![2]).toBe('');
    const script = /src="(\/console\/assets\/[^"]+)"/.exec(response.body)![1]!;
    const asset = await t.app.inject({ method: 'GET', url: script });
    expect(asset.statusCode).toBe(200);
    expect(asset.headers['content-type']).toBe('text/javascript; charset=utf-8');
  });

  it('answers a missing asset with a problem document', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/console/assets/missing.js' });
    expect(response.statusCode).toBe(404);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.json().detail).toBe('no console file at /console/assets/missing.js');
  });

  it('redirects / to /console, outside the API key check', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/' });
    expect(response.statusCode).toBe(302);
    expect(response.headers.location).toBe('/console');
  });
});
