/**
 * `esim-sandbox mcp`: a Model Context Protocol server over stdio (@modelcontextprotocol/sdk)
 * that exposes SANDBOX_TOOLS against the sandbox at --base-url with --api-key. The low-level
 * `Server` is used because the input schemas are plain JSON Schema from TypeBox (McpServer's
 * registerTool wants Zod). A problem answer becomes a tool error holding the problem body.
 */
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { CallToolRequestSchema, ListToolsRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import { SandboxApiError, type SandboxClient } from '../client/index.js';
import type { CommandContext } from '../cli/context.js';
import { packageVersion } from '../version.js';
import { jsonSchemaOf, SANDBOX_TOOLS } from './tools.js';

const text = (value: string) => ({ type: 'text' as const, text: value });

/** A server answering tools/list and tools/call with the given client; not yet connected. */
export function createMcpServer(client: SandboxClient): Server {
  const server = new Server(
    { name: 'esim-sandbox', version: packageVersion() },
    {
      capabilities: { tools: {} },
      instructions:
        'Tools of an eSIM commerce sandbox: order eSIMs, read their status, provoke lifecycle events, ' +
        'data usage and clock changes, and read the request log. Each call is a real API call.',
    },
  );
  server.setRequestHandler(ListToolsRequestSchema, async () => ({
    tools: SANDBOX_TOOLS.map((tool) => ({
      name: tool.name,
      description: tool.description,
      inputSchema: jsonSchemaOf(tool) as { type: 'object' },
    })),
  }));
  server.setRequestHandler(CallToolRequestSchema, async (request) => {
    const tool = SANDBOX_TOOLS.find((t) => t.name === request.params.name);
    if (!tool) return { isError: true, content: [text(`unknown tool "${request.params.name}"`)] };
    try {
      const result = await tool.call(client, request.params.arguments ?? {});
      return { content: [text(JSON.stringify(result, null, 2))] };
    } catch (error) {
      if (error instanceof SandboxApiError)
        return {
          isError: true,
          content: [text(JSON.stringify(error.problem ?? { code: error.code, detail: error.detail }))],
        };
      const cause = (error as Error).cause as Error | undefined;
      return {
        isError: true,
        content: [text(`cannot reach the sandbox at ${client.baseUrl}: ${cause?.message ?? String(error)}`)],
      };
    }
  });
  return server;
}

/** Serves MCP on stdin/stdout until the client disconnects or SIGINT/SIGTERM (exit code 0). */
export async function runMcpServer(context: CommandContext): Promise<number> {
  const server = createMcpServer(context.client());
  const closed = new Promise<void>((resolve) => {
    server.onclose = resolve;
    process.stdin.once('end', resolve);
    context.io.signal.addEventListener('abort', () => resolve(), { once: true });
  });
  await server.connect(new StdioServerTransport());
  await closed;
  await server.close();
  return 0;
}
