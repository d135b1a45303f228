import { lookup } from 'node:dns/promises';
import ipaddr from 'ipaddr.js';
import { RequestFilteringHttpAgent, RequestFilteringHttpsAgent } from 'request-filtering-agent';
import type { WebhooksConfig } from '../config.js';
import { Invalid } from '../lib/errors.js';

/**
 * SSRF protection for webhook URLs, in two places: at registration (a clear 422) and at delivery, where
 * request-filtering-agent checks the address the socket really connects to after DNS resolution — a name that
 * resolved to a public address at registration and to 127.0.0.1 later is caught there. Address ranges come from
 * ipaddr.js; the URL parser has already turned decimal, octal and hex IPv4 spellings into dotted quads.
 */
type Policy = Pick<WebhooksConfig, 'allowHttp' | 'allowedNetworks' | 'denyPublic'>;

/** How long registration waits for DNS: a name that does not resolve yet is accepted (delivery checks again). */
const LOOKUP_TIMEOUT_MS = 2_000;

function allowedByConfig(address: ipaddr.IPv4 | ipaddr.IPv6, policy: Policy): boolean {
  return policy.allowedNetworks.some((cidr) => {
    const [network, bits] = ipaddr.parseCIDR(cidr);
    return network.kind() === address.kind() && address.match([network, bits] as [typeof network, number]);
  });
}

/** Why an address may not be called (loopback, private, link-local/metadata, multicast…), or null when it may. */
export function refusedAddress(text: string, policy: Policy): string | null {
  let address = ipaddr.parse(text);
  // ::ffff:127.0.0.1 is 127.0.0.1 to the kernel.
  if (address.kind() === 'ipv6' && (address as ipaddr.IPv6).isIPv4MappedAddress()) address = (address as ipaddr.IPv6).toIPv4Address();
  if (allowedByConfig(address, policy)) return null;
  const range = address.range();
  if (range !== 'unicast') return `${text} is a ${range} address`;
  return policy.denyPublic ? `${text} is outside WEBHOOK_ALLOWED_NETWORKS (WEBHOOK_DENY_PUBLIC is set)` : null;
}

function literalAddress(hostname: string): string | null {
  const bare = hostname.startsWith('[') ? hostname.slice(1, -1) : hostname;
  return ipaddr.isValid(bare) ? bare : null;
}

async function resolved(hostname: string): Promise<string[]> {
  const timeout = new Promise<string[]>((resolve) => setTimeout(() => resolve([]), LOOKUP_TIMEOUT_MS).unref());
  const answer = lookup(hostname, { all: true, verbatim: true }).then(
    (entries) => entries.map((entry) => entry.address),
    () => [],
  );
  return Promise.race([answer, timeout]);
}

/** The URL if deliveries may go there; else a 422 naming `url` and saying why. */
export async function assertDeliverableUrl(raw: string, policy: Policy): Promise<URL> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new Invalid(`url "${raw.slice(0, 200)}" is not an absolute URL`);
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && policy.allowHttp)) {
    throw new Invalid(`url must be https://${policy.allowHttp ? ' or http://' : ''}, got ${url.protocol}//`);
  }
  if (url.username || url.password) throw new Invalid('url must not carry a user name or password');
  if (raw.length > 2048) throw new Invalid('url must be at most 2,048 characters');
  const literal = literalAddress(url.hostname);
  if (!literal && policy.denyPublic && url.hostname !== 'localhost') {
    throw new Invalid(
      `url ${url.hostname} is refused: only addresses of WEBHOOK_ALLOWED_NETWORKS are called here (WEBHOOK_DENY_PUBLIC is set)`,
    );
  }
  const addresses = literal ? [literal] : await resolved(url.hostname);
  for (const address of addresses) {
    const why = refusedAddress(address, policy);
    if (why) throw new Invalid(`url ${url.hostname} is refused: ${why} (webhooks go to public addresses only)`);
  }
  return url;
}

/** The agent of a delivery: it refuses to connect to what refusedAddress refuses, after DNS. */
export function filteringAgent(url: URL, policy: Policy): RequestFilteringHttpAgent | RequestFilteringHttpsAgent {
  const options = {
    keepAlive: false,
    allowIPAddressList: policy.allowedNetworks,
    allowPrivateIPAddress: false,
    allowMetaIPAddress: false,
    denyIPAddressList: policy.denyPublic ? ['0.0.0.0/0', '::/0'] : [],
  };
  return url.protocol === 'https:' ? new RequestFilteringHttpsAgent(options) : new RequestFilteringHttpAgent(options);
}
