/**
 * The SSRF guard in front of every outbound request (FHIR server, paging links, JWK Sets). A hook call
 * names its own `fhirServer`, so a hostile or confused caller could aim the service at the cloud
 * metadata endpoint or the internal network. A URL passes only when it is http(s), carries no
 * userinfo, is on the allowlist (`fhir.allowedServers`, matched by `isAllowedServer`), and every
 * address its host resolves to is usable: never link-local, cloud metadata, unspecified, multicast or
 * broadcast, even when the name is allowlisted. Loopback stays allowed; the allowlist decides.
 *
 * The HTTP client resolves the name again when it connects, so a DNS answer that changes between
 * check and connect (rebinding) would slip past the check alone; `createGuardedAgents` closes that gap
 * by vetting the addresses the connection actually uses.
 */
import { lookup as dnsLookup } from 'node:dns/promises';
import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import type { LookupFunction } from 'node:net';
import ipaddr from 'ipaddr.js';
import { isAllowedServer } from './allowed-servers.js';

/** A DNS resolver returning every address of a name (the shape of `dns.promises.lookup` with `all`). */
export type LookupAll = (hostname: string) => Promise<readonly { address: string }[]>;

/** A refused outbound URL; the message carries a reason code only, never the URL (it may hold ids). */
export class OutboundBlockedError extends Error {
  constructor(readonly reason: string) {
    super(`outbound request blocked: ${reason}`);
    this.name = 'OutboundBlockedError';
  }
}

const METADATA_ADDRESSES: readonly string[] = ['169.254.169.254', 'fd00:ec2::254', '100.100.100.200'];
const BLOCKED_RANGES: ReadonlySet<string> = new Set(['linkLocal', 'unspecified', 'multicast', 'broadcast']);

const defaultLookup: LookupAll = (hostname) => dnsLookup(hostname, { all: true, verbatim: true });

/** The IPv4 address an IPv6 address embeds (mapped, NAT64, 6to4), checked like a plain IPv4 one. */
const embeddedIpv4 = (address: ipaddr.IPv6): ipaddr.IPv4 | undefined => {
  const range = address.range();
  const bytes = address.toByteArray();
  if (range === 'ipv4Mapped' || range === 'rfc6052' || range === 'rfc6145') {
    return new ipaddr.IPv4(bytes.slice(12, 16));
  }
  if (range === '6to4') {
    return new ipaddr.IPv4(bytes.slice(2, 6));
  }
  return undefined;
};

/**
 * Why an address must not be contacted, or `undefined` when it may be.
 * @param raw - an IPv4 or IPv6 address (no brackets)
 */
export function blockedAddressReason(raw: string): string | undefined {
  if (!ipaddr.isValid(raw)) {
    return 'unparseable address';
  }
  const parsed = ipaddr.parse(raw);
  const address = parsed.kind() === 'ipv6' ? (embeddedIpv4(parsed as ipaddr.IPv6) ?? parsed) : parsed;
  if (METADATA_ADDRESSES.some((meta) => ipaddr.parse(meta).toString() === address.toString())) {
    return 'cloud metadata address';
  }
  const range = address.range();
  return BLOCKED_RANGES.has(range) ? `${range} address` : undefined;
}

/**
 * Creates the outbound check.
 * @param allowedServers - allowlist entries (same syntax as `fhir.allowedServers`)
 * @param opts - `lookup` replaces DNS resolution (tests)
 * @returns `checkOutboundUrl(url)`, which resolves when the URL may be fetched and throws
 *   OutboundBlockedError otherwise
 */
export function createOutboundGuard(
  allowedServers: readonly string[],
  opts: { readonly lookup?: LookupAll } = {},
): (url: URL) => Promise<void> {
  const lookup = opts.lookup ?? defaultLookup;
  return async (url) => {
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw new OutboundBlockedError('scheme not http or https');
    }
    if (url.username !== '' || url.password !== '') {
      throw new OutboundBlockedError('userinfo in URL');
    }
    if (!isAllowedServer(url, allowedServers)) {
      throw new OutboundBlockedError('server not allowlisted');
    }
    const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
    let addresses: readonly string[];
    if (ipaddr.isValid(host)) {
      addresses = [host];
    } else {
      try {
        addresses = (await lookup(host)).map((entry) => entry.address);
      } catch {
        throw new OutboundBlockedError('host does not resolve');
      }
    }
    if (addresses.length === 0) {
      throw new OutboundBlockedError('host does not resolve');
    }
    for (const address of addresses) {
      const reason = blockedAddressReason(address);
      if (reason !== undefined) {
        throw new OutboundBlockedError(reason);
      }
    }
  };
}

type LookupCallback = (error: Error | null, address: string | { address: string; family: number }[], family?: number) => void;

/**
 * A `lookup` for http(s) agents that refuses blocked addresses at connect time, so the address a
 * socket connects to is always one that was checked (DNS rebinding cannot swap it afterwards).
 * @param lookup - resolver; default `dns.promises.lookup` with `all`
 */
export function guardedLookup(lookup: LookupAll = defaultLookup): LookupFunction {
  const guarded = (hostname: string, options: { all?: boolean }, callback: LookupCallback): void => {
    const literal = hostname.replace(/^\[(.*)\]$/, '$1');
    const resolved: Promise<readonly { address: string }[]> = ipaddr.isValid(literal) ? Promise.resolve([{ address: literal }]) : lookup(hostname);
    resolved.then(
      (entries) => {
        const addresses = entries.map(({ address }) => ({ address, family: address.includes(':') ? 6 : 4 }));
        const first = addresses[0];
        const blocked = addresses.map((entry) => blockedAddressReason(entry.address)).find((r) => r !== undefined);
        if (first === undefined || blocked !== undefined) {
          callback(new OutboundBlockedError(blocked ?? 'host does not resolve'), '');
        } else if (options.all === true) {
          callback(null, addresses);
        } else {
          callback(null, first.address, first.family);
        }
      },
      () => callback(new OutboundBlockedError('host does not resolve'), ''),
    );
  };
  return guarded as unknown as LookupFunction;
}

/**
 * http and https agents whose connections go only to vetted addresses (see `guardedLookup`). Pass
 * `agent: (url) => (url.protocol === 'https:' ? agents.https : agents.http)` to node-fetch/fhirclient.
 * @param opts - `lookup` replaces DNS resolution (tests)
 */
export function createGuardedAgents(opts: { readonly lookup?: LookupAll } = {}): { readonly http: HttpAgent; readonly https: HttpsAgent } {
  const lookup = guardedLookup(opts.lookup);
  return { http: new HttpAgent({ lookup, keepAlive: true }), https: new HttpsAgent({ lookup, keepAlive: true }) };
}
