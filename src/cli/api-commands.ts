/**
 * The commands that call one or two API operations and print the answer: order, status,
 * suspend, release, trigger, usage, clock advance, clock reset, reset. With --json each
 * prints the API's JSON answer; otherwise a few lines of text.
 */
import type { Esim, SandboxClock } from '../client/index.js';
import { LIFECYCLE_EVENTS, type LifecycleEvent } from '../contract/lifecycle.js';
import type { CommandContext } from './context.js';
import { UsageError } from './usage.js';

/** A decimal integer option, or a usage error naming it. */
export function integerOption(context: CommandContext, command: string, name: string): number | undefined {
  const value = context.values[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !/^\d{1,15}$/.test(value))
    throw new UsageError(`--${name} must be a non-negative integer, got "${String(value)}"`, command);
  return Number(value);
}

function statusLine(esim: Esim): string {
  return (
    `${esim.iccid}  contractStatus ${esim.contractStatus}, profileProvisionStatus ${esim.profileProvisionStatus}, ` +
    `profileInstallStatus ${esim.profileInstallStatus}, isServiceRestricted ${esim.isServiceRestricted}`
  );
}

function clockLine(clock: SandboxClock): string {
  const hours = clock.offsetSeconds / 3600;
  return `sandbox clock: now ${clock.now} (real time + ${hours} h)`;
}

export async function order(context: CommandContext): Promise<number> {
  const [planCode] = context.args;
  const quantity = integerOption(context, 'order', 'quantity') ?? 1;
  const result = await context.client().order(planCode!, quantity);
  if (context.json) context.printJson(result);
  else {
    context.print(`ordered ${result.esims.length} eSIM(s) of ${planCode}: transactionId ${result.transactionId}`);
    for (const esim of result.esims) context.print(esim.iccid);
  }
  return 0;
}

export async function status(context: CommandContext): Promise<number> {
  const esim = await context.client().getEsim(context.args[0]!);
  if (context.json) context.printJson(esim);
  else {
    const width = Math.max(...Object.keys(esim).map((k) => k.length));
    for (const [field, value] of Object.entries(esim)) {
      const text = Array.isArray(value)
        ? value.map((v) => (typeof v === 'object' ? JSON.stringify(v) : String(v))).join(', ')
        : String(value);
      context.print(`${field.padEnd(width)}  ${text}`);
    }
  }
  return 0;
}

function emergency(action: 'suspend' | 'release') {
  return async (context: CommandContext): Promise<number> => {
    const esim = await context.client().emergencyControl(context.args[0]!, action);
    if (context.json) context.printJson(esim);
    else context.print(statusLine(esim));
    return 0;
  };
}
export const suspend = emergency('suspend');
export const release = emergency('release');

export async function trigger(context: CommandContext): Promise<number> {
  const [event, iccid] = context.args;
  if (!(LIFECYCLE_EVENTS as readonly string[]).includes(event!))
    throw new UsageError(`<event> must be one of ${LIFECYCLE_EVENTS.join(', ')}, got "${event}"`, 'trigger');
  const imei = context.values.imei;
  const esim = await context
    .client()
    .trigger(event as LifecycleEvent, iccid!, typeof imei === 'string' ? { imei } : {});
  if (context.json) context.printJson(esim);
  else context.print(`${event}: ${statusLine(esim)}`);
  return 0;
}

export async function usage(context: CommandContext): Promise<number> {
  const iccid = context.args[0]!;
  const day = context.values.day as string;
  const kb = integerOption(context, 'usage', 'kb')!;
  const client = context.client();
  // The API replaces the whole list: keep the other days, set this one.
  const current = await client.getEsim(iccid);
  const days = current.dataUsageDailyList.filter((item) => item.day !== day);
  days.push({ day, usage: String(kb) });
  days.sort((a, b) => a.day.localeCompare(b.day));
  const result = await client.setDataUsage(iccid, days);
  if (context.json) context.printJson(result);
  else {
    const total = result.dataUsageDailyList.reduce((sum, item) => sum + Number(item.usage), 0);
    context.print(`${iccid}  ${day}: ${kb} KB; ${result.dataUsageDailyList.length} day(s), ${total} KB in all`);
  }
  return 0;
}

export async function clockAdvance(context: CommandContext): Promise<number> {
  const days = integerOption(context, 'clock advance', 'days');
  const hours = integerOption(context, 'clock advance', 'hours');
  if (days === undefined && hours === undefined) throw new UsageError('give --days, --hours or both', 'clock advance');
  const clock = await context
    .client()
    .advanceClock({ ...(days !== undefined ? { days } : {}), ...(hours !== undefined ? { hours } : {}) });
  if (context.json) context.printJson(clock);
  else context.print(clockLine(clock));
  return 0;
}

export async function clockReset(context: CommandContext): Promise<number> {
  const clock = await context.client().resetClock();
  if (context.json) context.printJson(clock);
  else context.print(clockLine(clock));
  return 0;
}

export async function reset(context: CommandContext): Promise<number> {
  const result = await context.client().reset();
  if (context.json) context.printJson(result);
  else
    context.print(
      `deleted: ${Object.entries(result.deleted)
        .map(([what, count]) => `${what} ${count}`)
        .join(', ')}`,
    );
  return 0;
}
