/**
 * `esim-sandbox mcp` (the built dist/cli/main.js) driven by the MCP SDK's own Client over
 * stdio, against a real sandbox on a free port: the tools and their input schemas (the
 * TypeBox schemas of src/contract), calls that order and change eSIMs, and a problem
 * answered as a tool error.
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OrderRequest } from '../../src/contract/esims.js';
import { ACME_KEY, startTestApp, type TestApp } from '../helpers/app.js';

const CLI = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));
let test: TestApp;
let client: Client;

beforeAll(async () => {
  test = await startTestApp();
  const baseUrl = await test.app.listen({ port: 0, host: '127.0.0.1' });
  client = new Client({ name: 'esim-sandbox-test', version: '1.0.0' });
  await client.connect(
    new StdioClientTransport({
      command: process.execPath,
      args: [CLI, 'mcp', '--base-url', baseUrl, '--api-key', ACME_KEY],
      stderr: 'inherit',
    }),
  );
});
afterAll(async () => {
  await client?.close();
  await test?.close();
});

const json = (result: Awaited<ReturnType<Client['callTool']>>) =>
  JSON.parse((result.content as { type: string; text: string }[])[0]!.text);

describe('esim-sandbox mcp', () => {
  it('lists one tool per operation, input schemas from the contract', async () => {
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name)).toEqual([
      'list_plans',
      'order_esims',
      'get_esim_status',
      'reconcile_order',
      'emergency_control',
      'set_data_usage',
      'send_lifecycle_event',
      'get_clock',
      'advance_clock',
      'reset_clock',
      'list_esims',
      'reset_sandbox',
      'recent_requests',
    ]);
    const order = tools.find((t) => t.name === 'order_esims')!;
    expect(order.inputSchema).toEqual(JSON.parse(JSON.stringify(OrderRequest)));
    expect(order.inputSchema.required).toEqual(['planCode', 'quantity']);
    const event = tools.find((t) => t.name === 'send_lifecycle_event')!;
    expect(Object.keys(event.inputSchema.properties!)).toEqual(['iccid', 'event', 'imei', 'occurredAt']);
  });

  it('orders, installs, suspends and advances the clock through tool calls', async () => {
    const order = json(await client.callTool({ name: 'order_esims', arguments: { planCode: 'KD0001', quantity: 1 } }));
    const iccid = order.esims[0].iccid as string;
    expect(iccid).toMatch(/^8900\d{15}$/);
    const reconciled = json(
      await client.callTool({ name: 'reconcile_order', arguments: { transactionId: order.transactionId } }),
    );
    expect(reconciled.iccids).toEqual([iccid]);
    const installed = json(
      await client.callTool({
        name: 'send_lifecycle_event',
        arguments: { iccid, event: 'install', imei: '356938035643809' },
      }),
    );
    expect(installed.profileInstallStatus).toBe('INSTALLED');
    const suspended = json(
      await client.callTool({ name: 'emergency_control', arguments: { iccid, action: 'suspend' } }),
    );
    expect(suspended.contractStatus).toBe('SUSPENDED');
    const clock = json(await client.callTool({ name: 'advance_clock', arguments: { hours: 5 } }));
    expect(clock.offsetSeconds).toBe(5 * 3600);
    expect(json(await client.callTool({ name: 'get_esim_status', arguments: { iccid } })).contractStatus).toBe(
      'SUSPENDED',
    );
  });

  it('answers a problem as a tool error with its code and detail', async () => {
    const result = await client.callTool({ name: 'get_esim_status', arguments: { iccid: '8900000000098765434' } });
    expect(result.isError).toBe(true);
    expect(json(result)).toMatchObject({ status: 404, code: 'ESIM_NOT_FOUND' });
    const invalid = await client.callTool({ name: 'order_esims', arguments: { planCode: 'KD0001', quantity: 0 } });
    expect(invalid.isError).toBe(true);
    expect(json(invalid).code).toBe('VALIDATION_ERROR');
  });
});
