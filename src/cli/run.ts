/**
 * runCli(argv, io): parses the command line (node:util parseArgs), runs the command and
 * returns the exit code: 0 success, 1 an API problem (its code and detail on stderr) or an
 * unreachable sandbox, 2 a usage error (with the command's usage on stderr).
 */
import { parseArgs } from 'node:util';
import { createSandboxClient, SandboxApiError, type SandboxClient } from '../client/index.js';
import { COMMANDS, type Command } from './commands.js';
import type { CliIo, CommandContext } from './context.js';
import { commandUsage, generalUsage, GLOBAL_OPTIONS, UsageError, type OptionSpec } from './usage.js';

/** Where the CLI looks for the sandbox when neither --base-url nor ESIM_SANDBOX_URL says. */
export const DEFAULT_BASE_URL = 'http://127.0.0.1:3000';

// Every option of every command, to find the command's words wherever the options stand.
const ALL_OPTIONS: OptionSpec = COMMANDS.reduce<OptionSpec>((all, c) => ({ ...all, ...c.options }), GLOBAL_OPTIONS);

/** The command an argument list names, if any (main.ts: whether the server's own signal handling applies). */
export function commandOf(argv: string[]): Command | undefined {
  return findCommand(
    parseArgs({ args: argv, options: ALL_OPTIONS, allowPositionals: true, strict: false }).positionals,
  );
}

function findCommand(positionals: string[]): Command | undefined {
  const two = positionals.slice(0, 2).join(' ');
  return COMMANDS.find((c) => c.name === two) ?? COMMANDS.find((c) => c.name === positionals[0]);
}

/**
 * Runs one command line. Resolves with the exit code, or 'running' when `start` left a server
 * listening (it then stops on SIGTERM/SIGINT by itself).
 */
export async function runCli(argv: string[], io: CliIo): Promise<number | 'running'> {
  let command: Command | undefined;
  let context: CommandContext | undefined;
  try {
    const loose = parseArgs({ args: argv, options: ALL_OPTIONS, allowPositionals: true, strict: false });
    command = findCommand(loose.positionals);
    if (!command) {
      if (loose.values.help || loose.positionals.length === 0) {
        (loose.values.help ? io.stdout : io.stderr)(`${generalUsage(COMMANDS)}\n`);
        return loose.values.help ? 0 : 2;
      }
      throw new UsageError(`unknown command "${loose.positionals.slice(0, 2).join(' ')}"`, null);
    }
    const parsed = parseArgs({
      args: argv,
      options: { ...GLOBAL_OPTIONS, ...command.options },
      allowPositionals: true,
      strict: true,
    });
    if (parsed.values.help) {
      io.stdout(`${commandUsage(command)}\n`);
      return 0;
    }
    const args = parsed.positionals.slice(command.name.split(' ').length);
    if (args.length !== command.args.length)
      throw new UsageError(
        args.length < command.args.length
          ? `missing ${command.args.slice(args.length).join(' ')}`
          : `unexpected argument "${args[command.args.length]}"`,
        command.name,
      );
    for (const line of command.optionHelp) {
      const required = /^--([a-z-]+) .*\(required\)/.exec(line);
      if (required && parsed.values[required[1]!] === undefined)
        throw new UsageError(`--${required[1]} is required`, command.name);
    }
    context = contextFor(command, args, parsed.values as Record<string, string | boolean | undefined>, io);
    return await command.run(context);
  } catch (error) {
    if (error instanceof UsageError || isParseArgsError(error)) {
      const which = error instanceof UsageError ? error.command : (command?.name ?? null);
      const found = COMMANDS.find((c) => c.name === which);
      const message = error instanceof UsageError ? error.message : parseArgsMessage(error, argv);
      io.stderr(`esim-sandbox: ${message}\n\n${found ? commandUsage(found) : generalUsage(COMMANDS)}\n`);
      return 2;
    }
    if (error instanceof SandboxApiError) {
      // With --json the problem is the API's JSON answer: a script piping stdout into jq gets it.
      if (context?.json && error.problem) io.stdout(`${JSON.stringify(error.problem, null, 2)}\n`);
      io.stderr(`${error.code}: ${error.detail}\n`);
      return 1;
    }
    if (error instanceof TypeError && error.message === 'fetch failed') {
      const cause = (error.cause as Error | undefined)?.message ?? 'connection failed';
      io.stderr(`cannot reach the sandbox at ${context?.baseUrl ?? baseUrlOf(undefined, io)}: ${cause}\n`);
      return 1;
    }
    throw error;
  }
}

function isParseArgsError(error: unknown): error is Error {
  return error instanceof Error && /^ERR_PARSE_ARGS_/.test((error as NodeJS.ErrnoException).code ?? '');
}

/**
 * node:util parseArgs's message, said the way the CLI's own usage errors are (`--days needs a
 * value`), naming the option and what was given. An unknown shape keeps node's own text.
 */
export function parseArgsMessage(error: Error, argv: readonly string[]): string {
  const ambiguous = /^Option '(--?[\w-]+)' argument is ambiguous/.exec(error.message);
  if (ambiguous) {
    const given = argv[argv.indexOf(ambiguous[1]!) + 1];
    return `${ambiguous[1]} needs a value, got the option-like "${given}" (write ${ambiguous[1]}=${given} to pass it as the value)`;
  }
  const missing = /^Option '(--?[\w-]+)(?: <value>)?' argument missing/.exec(error.message);
  if (missing) return `${missing[1]} needs a value`;
  const flag = /^Option '(--?[\w-]+)' does not take an argument/.exec(error.message);
  if (flag) return `${flag[1]} takes no value`;
  const unknown = /^Unknown option '(-[^']*)'/.exec(error.message);
  if (unknown) return `unknown option ${unknown[1]} (--help lists the options)`;
  return error.message;
}

function baseUrlOf(flag: unknown, io: CliIo): string {
  return typeof flag === 'string' ? flag : io.env.ESIM_SANDBOX_URL || DEFAULT_BASE_URL;
}

function contextFor(
  command: Command,
  args: string[],
  values: Record<string, string | boolean | undefined>,
  io: CliIo,
): CommandContext {
  const baseUrl = baseUrlOf(values['base-url'], io);
  try {
    new URL(baseUrl);
  } catch {
    throw new UsageError(`--base-url must be a URL such as ${DEFAULT_BASE_URL}, got "${baseUrl}"`, command.name);
  }
  const apiKey = () => {
    const key = typeof values['api-key'] === 'string' ? values['api-key'] : io.env.ESIM_SANDBOX_API_KEY;
    if (!key) throw new UsageError('an API key is needed: --api-key <key> or ESIM_SANDBOX_API_KEY', command.name);
    return key;
  };
  let client: SandboxClient | undefined;
  return {
    args,
    values,
    json: values.json === true,
    baseUrl,
    apiKey,
    client: () => (client ??= createSandboxClient({ baseUrl, apiKey: apiKey() })),
    io,
    print: (line) => io.stdout(`${line}\n`),
    printJson: (value) => io.stdout(`${JSON.stringify(value, null, 2)}\n`),
  };
}
