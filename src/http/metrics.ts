/**
 * Prometheus metrics (prom-client), served as text at `GET /metrics` (no API key, not in the
 * OpenAPI document, like /openapi.json). One registry per app, so several apps in one
 * process (the tests) never share counters.
 *
 * - `sandbox_http_requests_total{method,route,status}` and
 *   `sandbox_http_request_duration_seconds{method,route,status}`: every response; `route` is
 *   the route template (`/v1/esims/:iccid`), `unmatched` for unknown paths (bounded labels).
 * - `sandbox_orders_created_total`, `sandbox_esims_created_total`: 201 answers of POST /v1/orders
 *   (not their idempotent replays: those created nothing).
 * - `sandbox_webhook_attempts_total{outcome}`: webhook delivery attempts made by this
 *   instance: `delivered` (2xx), `retrying` (failed, another attempt is due), `failed` (the
 *   8th attempt failed).
 * - `sandbox_esims{contract_status}`: eSIMs stored per contract status, counted in the
 *   database at each scrape (shared by every instance on that database).
 * - `sandbox_rate_limit_rejections_total{route}`: 429 answers of the rate limits.
 * - `sandbox_rate_limit_store_errors_total`: rate-limit counter operations Redis did not
 *   answer (served on this instance's own in-memory counters instead; see rate-limit.ts).
 * - `sandbox_faults_injected_total{fault}`: requests that carried a valid `Sandbox-Fault`.
 *   A dropped or truncated response never finishes, so Fastify's onResponse does
 *   not run for it: the fault hook records it with `observe` when it closes the connection.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export const CONTRACT_STATUSES = ['ACTIVE', 'SUSPENDED', 'TERMINATED'] as const;

export class Metrics {
  readonly registry = new Registry();
  readonly requests = new Counter({
    name: 'sandbox_http_requests_total',
    help: 'HTTP responses sent, by method, route template and status code.',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [this.registry],
  });
  readonly latency = new Histogram({
    name: 'sandbox_http_request_duration_seconds',
    help: 'Time from request received to response sent, in seconds, by method, route template and status code.',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });
  readonly ordersCreated = new Counter({
    name: 'sandbox_orders_created_total',
    help: 'Orders created (201 answers of POST /v1/orders) by this instance.',
    registers: [this.registry],
  });
  readonly esimsCreated = new Counter({
    name: 'sandbox_esims_created_total',
    help: 'eSIMs created by the orders of this instance.',
    registers: [this.registry],
  });
  readonly webhookAttempts = new Counter({
    name: 'sandbox_webhook_attempts_total',
    help: 'Webhook delivery attempts made by this instance, by outcome: delivered (2xx), retrying (failed, another attempt is due), failed (the last attempt failed).',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });
  readonly rateLimitRejections = new Counter({
    name: 'sandbox_rate_limit_rejections_total',
    help: 'Requests refused with 429 RATE_LIMITED, by route template.',
    labelNames: ['route'] as const,
    registers: [this.registry],
  });
  readonly faultsInjected = new Counter({
    name: 'sandbox_faults_injected_total',
    help: 'Requests that carried a valid Sandbox-Fault header, by fault: drop-response, truncate-response, delay, error.',
    labelNames: ['fault'] as const,
    registers: [this.registry],
  });
  readonly rateLimitStoreErrors = new Counter({
    name: 'sandbox_rate_limit_store_errors_total',
    help: "Rate-limit counter operations that Redis did not answer; each was counted in this instance's memory instead.",
    registers: [this.registry],
  });

  /**
   * @param countEsims reads the number of stored eSIMs per contract status at scrape time.
   * @param processMetrics adds prom-client's default process metrics (once per process: the server, not the tests).
   */
  constructor(countEsims: () => Promise<Record<string, number>>, processMetrics = false) {
    new Gauge({
      name: 'sandbox_esims',
      help: 'eSIMs stored in the database, by contract status (as stored: a change the sandbox clock makes due is stored on the next read or write of that eSIM).',
      labelNames: ['contract_status'] as const,
      registers: [this.registry],
      async collect() {
        const counts = await countEsims();
        for (const status of new Set([...CONTRACT_STATUSES, ...Object.keys(counts)]))
          this.set({ contract_status: status }, counts[status] ?? 0);
      },
    });
    if (processMetrics) collectDefaultMetrics({ register: this.registry, prefix: 'sandbox_' });
  }

  /** Records one response: its count and latency, and the order counters for a 201 of POST /v1/orders. */
  observe(request: FastifyRequest, reply: FastifyReply): void {
    const labels = { method: request.method, route: routeLabel(request), status: String(reply.statusCode) };
    this.requests.inc(labels);
    this.latency.observe(labels, reply.elapsedTime / 1000);
    const replayed = reply.getHeader('idempotent-replayed') === 'true';
    if (
      reply.statusCode === 201 &&
      !replayed &&
      request.method === 'POST' &&
      request.routeOptions.url === '/v1/orders'
    ) {
      this.ordersCreated.inc();
      const quantity = (request.body as { quantity?: unknown } | undefined)?.quantity;
      if (typeof quantity === 'number') this.esimsCreated.inc(quantity);
    }
  }
}

/** The route template for labels: bounded, never the raw URL. */
export function routeLabel(request: FastifyRequest): string {
  return request.routeOptions.url ?? 'unmatched';
}
