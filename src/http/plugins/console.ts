/**
 * Serves the console (the single-page app built from console/ into dist/console by
 * `npm run build`) at `/console`.
 *
 * - Files are read once, at registration, into memory (a few hundred KB): no file system
 *   access per request and no path from the URL ever reaches the file system.
 * - Any `/console/...` path that does not name a file (isFilePath) answers index.html, so
 *   that each page's own URL (`/console/esims/8900...`) survives a reload and a shared link;
 *   a missing asset (`/console/assets/x.js`) answers a 404 problem.
 * - A Content-Security-Policy with no inline script and nothing from another origin
 *   (`default-src 'self'`): the page talks only to this server's /v1 API. QR codes are PNG
 *   data URLs (`img-src data:`). Fingerprinted assets are cached for a year; index.html is
 *   revalidated on each load.
 * - Without a build (dist/console/index.html missing, e.g. a server run from src/ in tests)
 *   every console path answers a 503 problem saying to run `npm run build`.
 */
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { extname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { problem, sendProblem } from '../problem.js';

/** Where `npm run build` writes the console: dist/console under the repository (or package) root. */
export const CONSOLE_DIR = fileURLToPath(new URL('../../../dist/console/', import.meta.url));

/** The URL prefix of the console. */
export const CONSOLE_PREFIX = '/console';

/** The console page's Content-Security-Policy (served with index.html and every asset). */
export const CONSOLE_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.ico': 'image/x-icon',
};

interface Asset {
  body: Buffer;
  type: string;
  /** Fingerprinted (under assets/): cacheable for good. */
  immutable: boolean;
}

/** Options: the built console's directory (tests point it at a build of their own). */
export interface ConsoleOptions {
  dir?: string;
}

/** The files of the build, by URL path (`/console/assets/index-abc.js`). */
function loadAssets(dir: string): Map<string, Asset> {
  const assets = new Map<string, Asset>();
  if (!existsSync(join(dir, 'index.html'))) return assets;
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || entry.name.startsWith('.')) continue;
    const file = join(entry.parentPath, entry.name);
    const path = relative(dir, file).split(sep).join('/');
    assets.set(`${CONSOLE_PREFIX}/${path}`, {
      body: readFileSync(file),
      type: TYPES[extname(file)] ?? 'application/octet-stream',
      immutable: path.startsWith('assets/'),
    });
  }
  return assets;
}

function send(reply: FastifyReply, asset: Asset): FastifyReply {
  return reply
    .header('Content-Security-Policy', CONSOLE_CSP)
    .header('X-Content-Type-Options', 'nosniff')
    .header('Referrer-Policy', 'no-referrer')
    .header('Cache-Control', asset.immutable ? 'public, max-age=31536000, immutable' : 'no-cache')
    .type(asset.type)
    .send(asset.body);
}

/**
 * Whether a path names a file rather than a page: under assets/, a dot file, or with the
 * extension of a file type the build writes. Any other path is a page of the app, even with a
 * dot in it (a request id may hold one).
 */
function isFilePath(path: string): boolean {
  const name = path.slice(path.lastIndexOf('/') + 1);
  return (
    path.startsWith(`${CONSOLE_PREFIX}/assets/`) ||
    name.startsWith('.') ||
    extname(name) in TYPES ||
    name.endsWith('.map')
  );
}

/** The decoded path of a request URL (the router already refused malformed escapes; kept raw if not). */
function urlPath(url: string): string {
  const raw = url.split('?')[0] ?? '';
  try {
    return decodeURI(raw);
  } catch {
    return raw;
  }
}

async function consolePlugin(app: FastifyInstance, options: ConsoleOptions): Promise<void> {
  const assets = loadAssets(options.dir ?? CONSOLE_DIR);
  const index = assets.get(`${CONSOLE_PREFIX}/index.html`);

  const serve = async (request: FastifyRequest, reply: FastifyReply) => {
    if (!index) {
      return sendProblem(
        reply,
        problem('NOT_READY', 'the console is not built: run npm run build (it writes dist/console)', request.id),
      );
    }
    const path = urlPath(request.url);
    const asset = assets.get(path);
    if (asset) return send(reply, asset);
    if (isFilePath(path)) {
      return sendProblem(reply, problem('NOT_FOUND', `no console file at ${path}`, request.id));
    }
    return send(reply, index);
  };

  const hide = { schema: { hide: true } };
  app.get(CONSOLE_PREFIX, hide, serve);
  app.get(`${CONSOLE_PREFIX}/*`, hide, serve);
}

/** The console plugin (`console`): `GET /console` and `/console/*` (`GET /` redirects here: routes/home.ts). */
export default fp(consolePlugin, { name: 'console', fastify: '5.x' });
