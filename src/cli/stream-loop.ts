/**
 * Follows the live stream for listen and logs tail: connects, hands over each event, and
 * reconnects with Last-Event-ID when the connection drops, until the signal aborts.
 */
import { SandboxApiError, type StreamEvent } from '../client/index.js';
import type { CommandContext } from './context.js';

/** How long to wait before reconnecting a dropped stream, in ms. */
const RECONNECT_MS = 1000;

/**
 * Runs until SIGINT/SIGTERM (exit code 0). A refusal of the first connection (401, 429...)
 * or a sandbox that cannot be reached at the start ends it with the error (exit code 1);
 * later drops are reported on stderr and retried.
 */
export async function followStream(
  context: CommandContext,
  types: string[],
  onReady: () => void,
  onEvent: (event: StreamEvent) => Promise<void>,
): Promise<number> {
  const { signal } = context.io;
  const client = context.client();
  let lastEventId: string | undefined;
  let connected = false;
  while (!signal.aborted) {
    try {
      const onOpen = () => {
        if (!connected) onReady();
        connected = true;
      };
      for await (const event of client.stream({ types, signal, onOpen, ...(lastEventId ? { lastEventId } : {}) })) {
        if (event.id) lastEventId = event.id;
        await onEvent(event);
      }
      if (!signal.aborted) context.io.stderr('the sandbox closed the stream; reconnecting\n');
    } catch (error) {
      if (signal.aborted) break;
      if (!connected || (error instanceof SandboxApiError && error.status === 401)) throw error;
      context.io.stderr(
        `stream interrupted (${error instanceof Error ? error.message : String(error)}); reconnecting\n`,
      );
    }
    if (signal.aborted) break;
    await new Promise((resolve) => setTimeout(resolve, RECONNECT_MS));
  }
  return 0;
}
