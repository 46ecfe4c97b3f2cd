/**
 * The CLI's commands as data: name, arguments, options (node:util parseArgs shapes) and
 * help text, so that parsing, `--help` and the usage errors all come from one table.
 */
import type { ParseArgsConfig } from 'node:util';

/** Options of parseArgs, as the commands declare them. */
export type OptionSpec = NonNullable<ParseArgsConfig['options']>;

/** A command line that cannot run as given (exit code 2, with the command's usage). */
export class UsageError extends Error {
  constructor(
    message: string,
    /** The command whose usage to print; null: the general usage. */
    readonly command: string | null,
  ) {
    super(message);
    this.name = 'UsageError';
  }
}

/** One command: `name` is one or two words (`clock advance`). */
export interface CommandHelp {
  name: string;
  /** The positional arguments, as `<iccid>`, in order. */
  args: string[];
  options: OptionSpec;
  /** `--flag value: what for` lines of its own options. */
  optionHelp: string[];
  summary: string;
}

/** Options every command takes. */
export const GLOBAL_OPTIONS: OptionSpec = {
  'base-url': { type: 'string' },
  'api-key': { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
};

const GLOBAL_HELP = [
  '--base-url <url>   the sandbox (env ESIM_SANDBOX_URL; default http://127.0.0.1:3000)',
  '--api-key <key>    a reseller key (env ESIM_SANDBOX_API_KEY)',
  "--json             print the API's JSON answer instead of text",
  '-h, --help         this help',
];

/** The general usage: every command on a line. */
export function generalUsage(commands: readonly CommandHelp[]): string {
  const width = Math.max(...commands.map((c) => signature(c).length));
  return [
    'usage: esim-sandbox <command> [options]',
    '',
    'commands:',
    ...commands.map((c) => `  ${signature(c).padEnd(width)}  ${c.summary}`),
    '',
    'options of every command:',
    ...GLOBAL_HELP.map((line) => `  ${line}`),
    '',
    'esim-sandbox <command> --help shows a command. Exit codes: 0 success, 1 API problem, 2 usage error.',
  ].join('\n');
}

/** The usage of one command. */
export function commandUsage(command: CommandHelp): string {
  return [
    `usage: esim-sandbox ${signature(command)}`,
    '',
    command.summary,
    ...(command.optionHelp.length ? ['', 'options:', ...command.optionHelp.map((line) => `  ${line}`)] : []),
    '',
    'and the options of every command:',
    ...GLOBAL_HELP.map((line) => `  ${line}`),
  ].join('\n');
}

function signature(command: CommandHelp): string {
  const flags = Object.entries(command.options).map(([name, spec]) => {
    const help = command.optionHelp.find((line) => line.startsWith(`--${name} `));
    const metavar = /^--[a-z-]+ (<[^>]+>)/.exec(help ?? '')?.[1] ?? `<${name}>`;
    const flag = spec.type === 'string' ? `--${name} ${metavar}` : `--${name}`;
    return command.optionHelp.some((line) => line.includes('(required)') && line.startsWith(`--${name}`))
      ? flag
      : `[${flag}]`;
  });
  return [command.name, ...command.args, ...flags].join(' ');
}
