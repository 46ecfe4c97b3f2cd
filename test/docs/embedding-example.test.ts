// The example of docs/embedding.md, run as it is written there (only the import differs: the
// package name there, the source here); test/docs/embedding-doc.test.ts keeps the two equal.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startSandbox, type RunningSandbox } from '../../src/index.js';

let sandbox: RunningSandbox;
beforeAll(async () => {
  sandbox = await startSandbox(); // a free port, an empty in-memory database, a fresh key
});
afterAll(() => sandbox.close());

it('orders an eSIM, installs it and expires it with the sandbox clock', async () => {
  const { client } = sandbox;
  const { esims } = await client.order('KD0001'); // 1 GB, 7 days
  const iccid = esims[0]!.iccid;

  await client.trigger('install', iccid, { imei: '356938035643809' });
  await client.trigger('connect', iccid, { imei: '356938035643809' });
  expect((await client.getEsim(iccid)).activatedOn).not.toBeNull();

  await client.advanceClock({ days: 8 });
  expect((await client.getEsim(iccid)).contractStatus).toBe('TERMINATED');
});

it('answers problems as SandboxApiError', async () => {
  await expect(sandbox.client.order('NO-SUCH-PLAN')).rejects.toMatchObject({ status: 404, code: 'PLAN_NOT_FOUND' });
});
