/**
 * Where a webhook may go (`WEBHOOK_ALLOW_PRIVATE`). The host is resolved and every
 * address it resolves to is judged, at registration and again at each delivery, through
 * the `lookup` of the very connection that sends it: the address checked is the address
 * connected to, so a DNS answer that changes in between (DNS rebinding) cannot slip past.
 */
import { lookup as dnsLookup, type LookupAddress, type LookupAllOptions } from 'node:dns';
import { isIP, type LookupFunction } from 'node:net';
import { refusedAddressKind } from '../domain/network-address.js';

/** A destination the configuration refuses; the message names the host, the address and why. */
export class RefusedDestination extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RefusedDestination';
  }
}

/**
 * The addresses `hostname` resolves to (an IP literal resolves to itself).
 * @throws Error (ENOTFOUND and the like) when it does not resolve.
 */
export async function resolveHost(hostname: string): Promise<LookupAddress[]> {
  const bare = hostname.replace(/^\[(.*)\]$/, '$1');
  if (isIP(bare)) return [{ address: bare, family: isIP(bare) }];
  return new Promise((resolve, reject) => {
    dnsLookup(bare, { all: true, verbatim: true } satisfies LookupAllOptions, (error, addresses) =>
      error ? reject(error) : resolve(addresses),
    );
  });
}

/**
 * Why the addresses are refused as a destination, or null when all are public: one
 * private address among several is enough to refuse, since the connection may use any.
 */
export function refusal(hostname: string, addresses: readonly LookupAddress[]): string | null {
  for (const { address } of addresses) {
    const kind = refusedAddressKind(address);
    if (kind !== null) {
      const shown = isIP(hostname.replace(/^\[(.*)\]$/, '$1')) ? hostname : `${hostname} resolves to ${address}, which`;
      return `${shown} is ${kind}; refused because WEBHOOK_ALLOW_PRIVATE=false`;
    }
  }
  return null;
}

/**
 * A `lookup` for `http.request` that resolves as Node does and refuses private
 * destinations when `allowPrivate` is false (the error fails the request before it connects).
 */
export function guardedLookup(allowPrivate: boolean): LookupFunction | undefined {
  if (allowPrivate) return undefined;
  return (
    hostname: string,
    options: object,
    callback: (error: Error | null, address: string | LookupAddress[], family?: number) => void,
  ) => {
    dnsLookup(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) return callback(error, []);
      const why = refusal(hostname, addresses);
      if (why !== null) return callback(new RefusedDestination(why), []);
      if ((options as { all?: boolean }).all) return callback(null, addresses);
      const [first] = addresses;
      return first
        ? callback(null, first.address, first.family)
        : callback(new Error(`${hostname} resolves to no address`), []);
    });
  };
}
