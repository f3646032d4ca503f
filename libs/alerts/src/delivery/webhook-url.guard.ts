import type { LookupAddress } from 'node:dns';
import { lookup } from 'node:dns/promises';
import ipaddr from 'ipaddr.js';
import { InvalidInputError } from '@salesledger/domain/errors';
import type { UrlGuardConfig } from './delivery.config';

/** A webhook URL we will not call; a 400 on `url` when it comes from a request. */
export class UndeliverableUrlError extends InvalidInputError {
  constructor(readonly reason: string) {
    super([{ field: 'url', message: reason }]);
  }
}

export type ResolveHost = (hostname: string) => Promise<readonly LookupAddress[]>;

const resolveAll: ResolveHost = (hostname) => lookup(hostname, { all: true });

export interface DeliverableTarget {
  readonly url: URL;
  /** The checked addresses: connect to these, not to a fresh lookup that could answer differently. */
  readonly addresses: readonly [LookupAddress, ...LookupAddress[]];
}

/**
 * Resolves the URL's host and refuses it unless every address is public unicast, so a subscriber
 * cannot point us at loopback, the private network or a cloud metadata endpoint. DNS failures are
 * passed through as they are: at delivery time they are worth a retry.
 */
export async function resolveDeliverableTarget(
  rawUrl: string,
  config: UrlGuardConfig,
  resolve: ResolveHost = resolveAll,
): Promise<DeliverableTarget> {
  const url = parseHttpUrl(rawUrl);
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1').toLowerCase();
  const [first, ...rest] = await resolve(host);
  if (!first) throw new UndeliverableUrlError(`${host} resolves to no address`);
  const addresses = [first, ...rest] as const;
  const exempt = config.allowPrivateNetworks || config.allowedHosts.includes(host);
  const refused = exempt ? undefined : addresses.find((candidate) => !isPublicUnicast(candidate.address));
  if (refused) {
    throw new UndeliverableUrlError(
      `${host} resolves to ${refused.address}, which is not a public address ` +
        '(set WEBHOOK_ALLOWED_HOSTS or WEBHOOK_ALLOW_PRIVATE_NETWORKS to allow it)',
    );
  }
  return { url, addresses };
}

/** For subscription creation: the same check, with an unresolvable host refused too. */
export async function assertDeliverableUrl(
  rawUrl: string,
  config: UrlGuardConfig,
  resolve: ResolveHost = resolveAll,
): Promise<void> {
  try {
    await resolveDeliverableTarget(rawUrl, config, resolve);
  } catch (error) {
    if (error instanceof UndeliverableUrlError) throw error;
    throw new UndeliverableUrlError(`the host of ${rawUrl} does not resolve (${(error as Error).message})`);
  }
}

function parseHttpUrl(rawUrl: string): URL {
  let url: URL;
  try {
    url = new URL(rawUrl);
  } catch {
    throw new UndeliverableUrlError(`${rawUrl} is not a URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new UndeliverableUrlError(`${url.protocol} URLs are not allowed, only http: and https:`);
  }
  return url;
}

/** IPv4-mapped IPv6 (::ffff:10.0.0.1) is judged as the IPv4 address it carries. */
function isPublicUnicast(address: string): boolean {
  return ipaddr.process(address).range() === 'unicast';
}
