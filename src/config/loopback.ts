/**
 * Whether a URL's host is this machine: `localhost`, any address of 127.0.0.0/8, `::1`, or an IPv6
 * address embedding one of them (`::ffff:127.0.0.2`). Plain http is acceptable only there.
 */
import ipaddr from 'ipaddr.js';

/**
 * @param hostname - a URL hostname (`127.0.0.2`, `[::1]`, `localhost`)
 */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/^\[(.*)\]$/, '$1');
  if (host === 'localhost') return true;
  if (!ipaddr.isValid(host)) return false;
  const parsed = ipaddr.process(host); // an IPv4-mapped IPv6 address becomes its IPv4 address
  return parsed.range() === 'loopback';
}

/**
 * The hostname of a URL or `fhir.allowedServers` pattern (`http://127.0.0.2:*`); undefined when unparseable.
 * @param url - the URL or pattern
 */
export function hostOf(url: string): string | undefined {
  const text = url.replace(/:\*(?=\/|$)/, '');
  return URL.canParse(text) ? new URL(text).hostname : undefined;
}
