/** The table of the CLI's commands: what each takes and which function runs it. */
import * as api from './api-commands.js';
import type { CommandContext } from './context.js';
import { listen } from './listen.js';
import { logsTail } from './logs.js';
import { start } from './start.js';
import type { CommandHelp } from './usage.js';

/** A command: its help, and its run (an exit code, or 'running' for a server that goes on). */
export interface Command extends CommandHelp {
  run(context: CommandContext): Promise<number | 'running'>;
  /** Whether it calls the API (and so needs a key). */
  needsKey: boolean;
}

/** Every command, in the order the usage lists them. */
export const COMMANDS: readonly Command[] = [
  {
    name: 'start',
    args: [],
    options: { port: { type: 'string' }, host: { type: 'string' }, db: { type: 'string' }, keys: { type: 'string' } },
    optionHelp: [
      '--port <port>      PORT, default 3000 (0: a free port)',
      '--host <host>      HOST, default 127.0.0.1',
      '--db <db>          DATABASE_URL, or a SQLite file, or :memory:; default sqlite:./data/sandbox.db',
      '--keys <keys>      SANDBOX_API_KEYS, name:key,name2:key2; default a demo key, logged once',
    ],
    summary: 'run the sandbox server (the environment variables of docs/configuration.md apply)',
    needsKey: false,
    run: start,
  },
  {
    name: 'listen',
    args: [],
    options: { 'forward-to': { type: 'string' } },
    optionHelp: ['--forward-to <url>  (required) where to POST each webhook event, signed'],
    summary: 'forward the webhook events to a local URL, signed with a secret kept between runs',
    needsKey: true,
    run: listen,
  },
  {
    name: 'trigger',
    args: ['<event>', '<iccid>'],
    options: { imei: { type: 'string' } },
    optionHelp: [
      '<event>            download, install, install_failed, connect, terminate',
      '--imei <imei>      the device (15 digits): needed by install and connect',
    ],
    summary: 'send a lifecycle event to an eSIM',
    needsKey: true,
    run: api.trigger,
  },
  {
    name: 'order',
    args: ['<planCode>'],
    options: { quantity: { type: 'string' } },
    optionHelp: ['--quantity <n>     1 to 1000, default 1'],
    summary: 'order eSIMs of a plan',
    needsKey: true,
    run: api.order,
  },
  {
    name: 'status',
    args: ['<iccid>'],
    options: {},
    optionHelp: [],
    summary: "show an eSIM's status",
    needsKey: true,
    run: api.status,
  },
  {
    name: 'suspend',
    args: ['<iccid>'],
    options: {},
    optionHelp: [],
    summary: 'suspend an eSIM (emergency control)',
    needsKey: true,
    run: api.suspend,
  },
  {
    name: 'release',
    args: ['<iccid>'],
    options: {},
    optionHelp: [],
    summary: 'lift the suspension of an eSIM (emergency control)',
    needsKey: true,
    run: api.release,
  },
  {
    name: 'usage',
    args: ['<iccid>'],
    options: { day: { type: 'string' }, kb: { type: 'string' } },
    optionHelp: [
      '--day <day>        (required) a Japan-time date, YYYY-MM-DD',
      '--kb <kb>          (required) the usage of that day in KB (other days are kept)',
    ],
    summary: "set one day's data usage of an eSIM",
    needsKey: true,
    run: api.usage,
  },
  {
    name: 'clock advance',
    args: [],
    options: { days: { type: 'string' }, hours: { type: 'string' } },
    optionHelp: ['--days <days>      0 to 400', '--hours <hours>    0 to 9600, added to the days'],
    summary: "move this reseller's sandbox clock forward",
    needsKey: true,
    run: api.clockAdvance,
  },
  {
    name: 'clock reset',
    args: [],
    options: {},
    optionHelp: [],
    summary: 'put the sandbox clock back to real time',
    needsKey: true,
    run: api.clockReset,
  },
  {
    name: 'reset',
    args: [],
    options: {},
    optionHelp: [],
    summary: "delete this reseller's orders, eSIMs, logs, webhook and clock",
    needsKey: true,
    run: api.reset,
  },
  {
    name: 'logs tail',
    args: [],
    options: { status: { type: 'string' } },
    optionHelp: ['--status <status>  only this status (429) or class (4xx)'],
    summary: 'print the requests the sandbox answers, live',
    needsKey: true,
    run: logsTail,
  },
  {
    name: 'mcp',
    args: [],
    options: {},
    optionHelp: [],
    summary: 'an MCP server over stdio with a tool per operation, for coding agents (docs/mcp.md)',
    needsKey: true,
    run: async (context) => (await import('../mcp/server.js')).runMcpServer(context),
  },
];
