/**
 * The MCP tools of `esim-sandbox mcp`: one per sandbox operation, each input schema built
 * from the TypeBox schemas of src/contract (the ones that validate the HTTP API), each run
 * through the typed client. A coding agent drives test scenarios with them.
 */
import { Type, type TSchema } from 'typebox';
import type { SandboxClient } from '../client/index.js';
import { IccidParam } from '../contract/common.js';
import { DataUsageRequest, EmergencyControlRequest, OrderRequest, TransactionIdParams } from '../contract/esims.js';
import { ClockAdvanceRequest, LifecycleEventRequest } from '../contract/lifecycle.js';
import { EsimListQuery } from '../contract/listings.js';
import { PlanQuery } from '../contract/plans.js';

/** One tool: its name, what it does (the agent reads this), its JSON Schema input, its call. */
export interface SandboxTool {
  name: string;
  description: string;
  input: TSchema;
  call(client: SandboxClient, args: Record<string, unknown>): Promise<unknown>;
}

const Iccid = Type.Object({ iccid: IccidParam }, { additionalProperties: false });
const Nothing = Type.Object({}, { additionalProperties: false });
// The request log's filters (GET /v1/sandbox/requests); the server validates each value.
const RecentRequestsInput = Type.Object(
  {
    limit: Type.Optional(
      Type.Integer({ minimum: 1, maximum: 100, description: 'Entries (1-100), newest first; default 20.' }),
    ),
    status: Type.Optional(Type.String({ description: 'A status (429) or a class (4xx).', examples: ['4xx'] })),
    operationId: Type.Optional(Type.String({ description: 'An operationId of openapi.json, e.g. orderEsims.' })),
    iccid: Type.Optional(Type.String({ description: 'Only requests about this eSIM.' })),
    transactionId: Type.Optional(Type.String({ description: 'Only requests about this order.' })),
  },
  { additionalProperties: false },
);

const str = (value: unknown) => String(value);

/** Every tool, in the order an agent meets them in a scenario. */
export const SANDBOX_TOOLS: readonly SandboxTool[] = [
  {
    name: 'list_plans',
    description: 'List the data plans (GET /v1/plans), filtered by countryCode and providerCode, paginated.',
    input: PlanQuery,
    call: (client, args) => client.listPlans(args),
  },
  {
    name: 'order_esims',
    description: 'Order 1 to 1000 eSIMs of a plan (POST /v1/orders); answers the transactionId and the eSIMs.',
    input: OrderRequest,
    call: (client, args) => client.order(str(args.planCode), Number(args.quantity)),
  },
  {
    name: 'get_esim_status',
    description: "Read an eSIM's status by ICCID (GET /v1/esims/{iccid}).",
    input: Iccid,
    call: (client, args) => client.getEsim(str(args.iccid)),
  },
  {
    name: 'reconcile_order',
    description: 'The ICCIDs of an order by its transactionId, after a lost answer (GET /v1/orders/{transactionId}).',
    input: TransactionIdParams,
    call: (client, args) => client.getOrder(str(args.transactionId)),
  },
  {
    name: 'emergency_control',
    description: 'Suspend or release an eSIM (POST /v1/esims/{iccid}/emergency-control).',
    input: Type.Object({ iccid: IccidParam, ...EmergencyControlRequest.properties }, { additionalProperties: false }),
    call: (client, args) => client.emergencyControl(str(args.iccid), args.action as 'suspend' | 'release'),
  },
  {
    name: 'set_data_usage',
    description:
      "Replace an eSIM's daily data usage list, KB per Japan-time day (PUT /v1/sandbox/esims/{iccid}/data-usage).",
    input: Type.Object({ iccid: IccidParam, dataUsageDailyList: DataUsageRequest }, { additionalProperties: false }),
    call: (client, args) =>
      client.setDataUsage(str(args.iccid), args.dataUsageDailyList as { day: string; usage: string }[]),
  },
  {
    name: 'send_lifecycle_event',
    description:
      'Make something happen to an eSIM: download, install (imei), install_failed, connect (imei), terminate ' +
      '(POST /v1/sandbox/esims/{iccid}/events).',
    input: Type.Object({ iccid: IccidParam, ...LifecycleEventRequest.properties }, { additionalProperties: false }),
    call: (client, { iccid, event, ...rest }) =>
      client.trigger(event as Parameters<SandboxClient['trigger']>[0], str(iccid), rest),
  },
  {
    name: 'get_clock',
    description: "Read this reseller's sandbox clock (GET /v1/sandbox/clock).",
    input: Nothing,
    call: (client) => client.getClock(),
  },
  {
    name: 'advance_clock',
    description:
      'Move the sandbox clock forward by days and hours, expiring eSIMs on the way (POST /v1/sandbox/clock/advance).',
    input: ClockAdvanceRequest,
    call: (client, args) => client.advanceClock(args),
  },
  {
    name: 'reset_clock',
    description: 'Put the sandbox clock back to real time (POST /v1/sandbox/clock/reset).',
    input: Nothing,
    call: (client) => client.resetClock(),
  },
  {
    name: 'list_esims',
    description: "This reseller's eSIMs, newest first, filtered by status (GET /v1/sandbox/esims).",
    input: EsimListQuery,
    call: (client, args) => client.listEsims(args),
  },
  {
    name: 'reset_sandbox',
    description:
      "Delete this reseller's orders, eSIMs, history, request log, webhook and clock (POST /v1/sandbox/reset).",
    input: Nothing,
    call: (client) => client.reset(),
  },
  {
    name: 'recent_requests',
    description: 'The requests the sandbox answered for this reseller, newest first (GET /v1/sandbox/requests).',
    input: RecentRequestsInput,
    call: (client, args) => client.listRequests(args),
  },
];

/** A tool's input schema as plain JSON Schema (TypeBox's symbols dropped). */
export function jsonSchemaOf(tool: SandboxTool): Record<string, unknown> {
  return JSON.parse(JSON.stringify(tool.input)) as Record<string, unknown>;
}
