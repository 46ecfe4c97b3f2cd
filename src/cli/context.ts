/** What a command gets to run: its parsed arguments, where to print, and the typed client. */
import type { SandboxClient } from '../client/index.js';

/** Where the CLI writes and what environment it reads (process's by default; tests give their own). */
export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: NodeJS.ProcessEnv;
  /** Aborted on SIGINT/SIGTERM: long-running commands (listen, logs tail) end with exit code 0. */
  signal: AbortSignal;
}

/** A command's run: positionals after the command name, its option values, output helpers. */
export interface CommandContext {
  args: string[];
  values: Record<string, string | boolean | undefined>;
  /** `--json`: print the API's JSON answer (one JSON document, or one line per streamed event). */
  json: boolean;
  baseUrl: string;
  /** The key, or a usage error when neither --api-key nor ESIM_SANDBOX_API_KEY gives one. */
  apiKey(): string;
  /** The typed client for baseUrl and the key. */
  client(): SandboxClient;
  io: CliIo;
  /** Prints a line (with a newline) on stdout. */
  print(line: string): void;
  /** Prints `value` as pretty JSON on stdout. */
  printJson(value: unknown): void;
}
