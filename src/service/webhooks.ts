/**
 * The webhook use cases: register, read and delete the reseller's endpoint, list
 * deliveries and redeliver one. The events themselves are written by the eSIM and order
 * use cases (src/service/sandbox.ts) in their own transactions; the dispatcher sends them.
 */
import { randomBytes } from 'node:crypto';
import {
  WEBHOOK_EVENT_TYPES,
  type DeliveryPage,
  type WebhookDelivery,
  type WebhookEndpoint,
  type WebhookRegistration,
} from '../contract/webhooks.js';
import { DomainError, RuleViolation } from '../domain/errors.js';
import { webhookUrlViolations } from '../domain/webhook-delivery.js';
import { refusal, resolveHost } from '../outbound/destinations.js';
import type { StoredEndpoint, WebhookRepository } from '../store/webhooks.js';

/** What the webhook use cases need. */
export interface WebhookDeps {
  webhooks: WebhookRepository;
  /** `WEBHOOK_ALLOW_PRIVATE`: false refuses loopback, private and link-local destinations. */
  allowPrivate: boolean;
  /** Wakes the dispatcher when a delivery is queued (a redelivery goes out at once). */
  onQueued?: () => void;
  /** Real time; tests may pass their own. */
  now?: () => Date;
}

/** A new signing secret: `whsec_` + 32 random bytes, base64url (256 bits, as HMAC-SHA256's key size). */
export function newSigningSecret(): string {
  return `whsec_${randomBytes(32).toString('base64url')}`;
}

/** The webhook operations, for one reseller at a time. */
export class WebhookService {
  private readonly realNow: () => Date;

  constructor(private readonly deps: WebhookDeps) {
    this.realNow = deps.now ?? (() => new Date());
  }

  /**
   * Registers the reseller's endpoint, or replaces it (keeping its secret).
   * @throws RuleViolation at body.url for a URL that is not absolute http(s), carries
   *   credentials or a fragment, does not resolve, or (WEBHOOK_ALLOW_PRIVATE=false)
   *   resolves to a refused address.
   */
  async register(
    resellerId: string,
    request: WebhookRegistration,
  ): Promise<{ endpoint: WebhookEndpoint; created: boolean }> {
    const violations = webhookUrlViolations(request.url);
    if (violations.length > 0) throw new RuleViolation(violations);
    if (!this.deps.allowPrivate) await this.assertPublic(new URL(request.url).hostname);
    const events = request.events
      ? WEBHOOK_EVENT_TYPES.filter((type) => request.events!.includes(type))
      : [...WEBHOOK_EVENT_TYPES];
    const { endpoint, created } = await this.deps.webhooks.putEndpoint(
      resellerId,
      { url: request.url, events },
      newSigningSecret(),
      this.realNow(),
    );
    return { endpoint: publicEndpoint(endpoint), created };
  }

  /** @throws DomainError WEBHOOK_NOT_FOUND when the reseller has no endpoint. */
  async endpoint(resellerId: string): Promise<WebhookEndpoint> {
    const endpoint = await this.deps.webhooks.endpoint(resellerId);
    if (!endpoint) throw notRegistered('WEBHOOK_NOT_FOUND');
    return publicEndpoint(endpoint);
  }

  /**
   * Deletes the endpoint; its pending deliveries are cancelled.
   * @throws DomainError WEBHOOK_NOT_FOUND when the reseller has no endpoint.
   */
  async delete(resellerId: string): Promise<void> {
    if (!(await this.deps.webhooks.deleteEndpoint(resellerId))) throw notRegistered('WEBHOOK_NOT_FOUND');
  }

  /** One page of the reseller's deliveries, newest first. */
  async deliveries(resellerId: string, page: number, limit: number): Promise<DeliveryPage> {
    const { items, total } = await this.deps.webhooks.list(resellerId, page, limit);
    return { items, meta: { total, page, limit, totalPages: Math.ceil(total / limit) } };
  }

  /**
   * Sends a delivery's event again, as a new delivery due at once (to the endpoint as it is now).
   * @throws DomainError DELIVERY_NOT_FOUND for an unknown or another reseller's delivery;
   *   WEBHOOK_NOT_REGISTERED when the reseller has no endpoint to send to.
   */
  async redeliver(resellerId: string, deliveryId: string): Promise<WebhookDelivery> {
    const id = deliveryId.toLowerCase();
    if (!(await this.deps.webhooks.find(resellerId, id)))
      throw new DomainError('DELIVERY_NOT_FOUND', `no webhook delivery with id ${deliveryId}`);
    if (!(await this.deps.webhooks.endpoint(resellerId))) throw notRegistered('WEBHOOK_NOT_REGISTERED');
    const delivery = await this.deps.webhooks.redeliver(resellerId, id, this.realNow());
    if (!delivery) throw new DomainError('DELIVERY_NOT_FOUND', `no webhook delivery with id ${deliveryId}`);
    this.deps.onQueued?.();
    return delivery;
  }

  private async assertPublic(hostname: string): Promise<void> {
    let addresses;
    try {
      addresses = await resolveHost(hostname);
    } catch {
      throw new RuleViolation([{ path: 'body.url', message: `must name a host that resolves: ${hostname} does not` }]);
    }
    const why = refusal(hostname, addresses);
    if (why !== null)
      throw new RuleViolation([
        { path: 'body.url', message: `must not resolve to a loopback, private or link-local address: ${why}` },
      ]);
  }
}

function publicEndpoint({ resellerId: _reseller, ...endpoint }: StoredEndpoint): WebhookEndpoint {
  return endpoint;
}

function notRegistered(code: 'WEBHOOK_NOT_FOUND' | 'WEBHOOK_NOT_REGISTERED'): DomainError {
  return new DomainError(code, 'no webhook endpoint is registered; register one with PUT /v1/sandbox/webhook');
}
