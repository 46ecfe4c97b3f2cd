/**
 * Writes the OpenAPI document the server serves at /openapi.json to `openapi.json` at the
 * repository root (`npm run openapi:write`). A test fails when the two differ.
 */
import { writeFileSync } from 'node:fs';
import { renderOpenApi } from './render-openapi.js';

const target = new URL('../../openapi.json', import.meta.url);
writeFileSync(target, await renderOpenApi());
process.stdout.write(`wrote ${target.pathname}\n`);
