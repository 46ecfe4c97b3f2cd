/**
 * Load worker: one process per scenario, forked by the harness, so that the load generator
 * never shares an event loop with the process that supervises the servers (or with a
 * server). It receives a `LoadSpec` over IPC, sends one probe request, warms the server up,
 * runs the measured autocannon load and replies with the figures, then exits.
 */
import autocannon from 'autocannon';
import type { DistIccid, LoadFigures, LoadSpec, ProbeResult, WorkerMessage, WorkerReply } from './load-types.js';
import { importDist } from './dist.js';
import { pathGenerator } from './requests.js';

/** Characters of a failing probe's body kept for the report. */
const SNIPPET_CHARS = 300;

async function run(spec: LoadSpec): Promise<WorkerReply> {
  const { sandboxIccid } = await importDist<DistIccid>('domain/iccid.js');
  const nextPath = pathGenerator(spec.request.path, sandboxIccid);
  const headers: Record<string, string> = { ...spec.headers };
  if (spec.request.body !== undefined) headers['content-type'] = 'application/json';

  const probe = await probeOnce(spec, nextPath(), headers);
  if (spec.warmupS > 0) await load(spec, spec.warmupS, nextPath, headers);
  // The harness starts its CPU accounting here, so that it covers the measured run only.
  send({ kind: 'measuring' });
  const cpuBefore = process.cpuUsage();
  const result = await load(spec, spec.durationS, nextPath, headers);
  const cpu = process.cpuUsage(cpuBefore);
  return { ok: true, probe, figures: figuresOf(result, (cpu.user + cpu.system) / 1e6) };
}

/** One request before the load: its status and body tell what a failing scenario answers. */
async function probeOnce(spec: LoadSpec, path: string, headers: Record<string, string>): Promise<ProbeResult> {
  const response = await fetch(spec.baseUrls[0] + path, {
    method: spec.request.method,
    headers,
    ...(spec.request.body !== undefined ? { body: spec.request.body } : {}),
    signal: AbortSignal.timeout(30_000),
  });
  const body = await response.text();
  return {
    status: response.status,
    bodyBytes: Buffer.byteLength(body),
    snippet: response.ok ? '' : body.slice(0, SNIPPET_CHARS),
  };
}

function load(
  spec: LoadSpec,
  seconds: number,
  nextPath: () => string,
  headers: Record<string, string>,
): Promise<autocannon.Result> {
  const random = spec.request.path.kind !== 'fixed';
  const request: autocannon.Request = {
    method: spec.request.method,
    path: nextPath(),
    headers,
    ...(spec.request.body !== undefined ? { body: spec.request.body } : {}),
    // Only random paths need a rebuild per request; a fixed request is built once per connection.
    ...(random
      ? {
          setupRequest: (req: autocannon.Request) => {
            req.path = nextPath();
            return req;
          },
        }
      : {}),
  };
  // autocannon takes an array of URLs and gives connection i the URL i mod n (lib/run.js);
  // its type declarations know only a string.
  const url = spec.baseUrls as unknown as string;
  return autocannon({ url, connections: spec.connections, duration: seconds, requests: [request] });
}

function figuresOf(result: autocannon.Result, loadgenCpuS: number): LoadFigures {
  const ok = result['2xx'];
  return {
    requestsPerSec: result.requests.mean,
    requests: result.requests.total,
    durationS: result.duration,
    latencyMs: {
      p50: result.latency.p50,
      p90: result.latency.p90,
      p99: result.latency.p99,
      max: result.latency.max,
      mean: result.latency.average,
    },
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    statusCodes: Object.fromEntries(
      Object.entries(result.statusCodeStats ?? {}).map(([code, stat]) => [code, stat.count ?? 0]),
    ),
    // autocannon counts bytes (status line, headers and body) of 2xx responses only.
    bytesPerResponse: ok > 0 ? Math.round(result.throughput.total / ok) : null,
    loadgenCpuS,
  };
}

function send(message: WorkerMessage, then: () => void = () => {}): void {
  process.send?.(message, then);
}

if (process.send) {
  process.once('message', (spec: LoadSpec) => {
    void run(spec)
      .catch((error: unknown): WorkerReply => ({
        ok: false,
        error: error instanceof Error ? error.message : String(error),
      }))
      .then((reply) => send({ kind: 'done', reply }, () => process.exit(reply.ok ? 0 : 1)));
  });
}
