/**
 * The signature-verification snippet of docs/webhooks.md ("Verifying a signature"), run as
 * written: it must accept what the sandbox signs and refuse a changed body, another secret
 * and an old timestamp.
 */
import { readFileSync } from 'node:fs';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { signatureHeader } from '../../src/domain/webhook-delivery.js';

const guide = readFileSync(new URL('../../docs/webhooks.md', import.meta.url), 'utf8');
const snippet = /^## Verifying a signature\n[\s\S]*?```ts\n([\s\S]*?)```/m.exec(guide)?.[1];

describe("the webhooks guide's signature check", () => {
  it('verifies what the sandbox signs, and nothing else', async () => {
    expect(snippet, 'docs/webhooks.md has a ```ts block after "## Verifying a signature"').toBeTruthy();
    const js = ts.transpileModule(snippet!, {
      compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
    }).outputText;
    const { verifySandboxSignature } = (await import(
      `data:text/javascript;base64,${Buffer.from(js).toString('base64')}`
    )) as {
      verifySandboxSignature: (header: string, rawBody: string, secret: string, toleranceSeconds?: number) => boolean;
    };
    const body = '{"id":"6b1f0c3e-2d4a-4e8f-8c9b-5a7d3e1f2b60","type":"order.completed"}';
    const now = Math.floor(Date.now() / 1000);
    const header = signatureHeader('whsec_guide', now, body);
    expect(verifySandboxSignature(header, body, 'whsec_guide')).toBe(true);
    expect(verifySandboxSignature(header, `${body} `, 'whsec_guide')).toBe(false);
    expect(verifySandboxSignature(header, body, 'whsec_other')).toBe(false);
    expect(verifySandboxSignature(signatureHeader('whsec_guide', now - 301, body), body, 'whsec_guide')).toBe(false);
  });
});
