/**
 * What the harness and a load worker (bench/load.ts) say to each other over IPC. Kept
 * apart from load.ts so that the harness imports the shapes without the worker's code.
 */
import type { RequestSpec } from './scenarios.js';

/** The compiled ICCID module the worker draws paths with. */
export type DistIccid = typeof import('../src/domain/iccid.js');

/** One load to generate: sent by the harness as the worker's only message. */
export interface LoadSpec {
  /**
   * `http://127.0.0.1:<port>` of each server instance: loopback only. With several, the
   * connections go round-robin over them (connection i to instance i mod n).
   */
  baseUrls: string[];
  request: RequestSpec;
  /** Sent with every request (the Authorization header). */
  headers: Record<string, string>;
  connections: number;
  /** Seconds of load before the measured run (JIT, caches, SQLite pages); 0 for none. */
  warmupS: number;
  /** Seconds of the measured run. */
  durationS: number;
}

/** The single request sent before any load. */
export interface ProbeResult {
  status: number;
  /** Body size, bytes. */
  bodyBytes: number;
  /** Start of the body when the status is not 2xx (the problem detail says why); else empty. */
  snippet: string;
}

/** The measured run, as the report shows it. */
export interface LoadFigures {
  /** Mean of autocannon's per-second samples of completed responses (any status), requests/s. */
  requestsPerSec: number;
  /** Completed responses in the measured run. */
  requests: number;
  /** Length of the measured run as autocannon timed it, s. */
  durationS: number;
  /** Latency of 2xx responses (autocannon records only those), ms, at 1 ms resolution. */
  latencyMs: { p50: number; p90: number; p99: number; max: number; mean: number };
  /** Responses whose status was not 2xx. */
  non2xx: number;
  /** Connection errors, timeouts included. */
  errors: number;
  /** Requests without a response within autocannon's 10 s timeout. */
  timeouts: number;
  /** Responses by HTTP status. */
  statusCodes: Record<string, number>;
  /** Mean size of a 2xx response on the wire (status line, headers, body), bytes; null with no 2xx. */
  bytesPerResponse: number | null;
  /** CPU time (user + system) of the load worker during the measured run, s. */
  loadgenCpuS: number;
}

/** The worker's outcome. */
export type WorkerReply = { ok: true; probe: ProbeResult; figures: LoadFigures } | { ok: false; error: string };

/** What the worker sends: `measuring` as the measured run starts (after warm-up), then `done`. */
export type WorkerMessage = { kind: 'measuring' } | { kind: 'done'; reply: WorkerReply };
