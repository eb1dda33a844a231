/**
 * The origin an EHR called this service at (`http://127.0.0.1:3000`), from which the card link to the
 * CRS timeline is derived when neither `app.launchUrl` nor `auth.audience` is configured (issue 12).
 * express reads the protocol and `Host` from the connection; `X-Forwarded-Proto` and `X-Forwarded-Host`
 * count only when `trust proxy` is set (createApp sets it to false). The Host header is the caller's to
 * write and the link lands on a card a physician clicks, so only a plain host passes: a DNS name, an IPv4
 * or bracketed IPv6 literal, an optional port; no user info, path, query, percent-escape or space
 * (docs/security.md).
 */
import type { Request } from 'express';

/** A DNS name: dot-separated labels of letters, digits and inner hyphens, 1–63 characters each. */
const DNS_NAME = /^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/;
const IPV4 = /^(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;
const IPV6_LITERAL = /^\[[0-9a-f:.]+\]$/;
const HOST_AND_PORT = /^(\[[^\]]*\]|[^:[\]]*)(?::(\d{1,5}))?$/;

/**
 * `host[:port]` when it is a plain host, lower-cased; undefined otherwise.
 * @param value - a Host header value
 */
export function plainHost(value: string): string | undefined {
  const match = HOST_AND_PORT.exec(value.toLowerCase());
  const [, name, port] = match ?? [];
  if (name === undefined || !(DNS_NAME.test(name) || IPV4.test(name) || IPV6_LITERAL.test(name))) return undefined;
  if (port !== undefined && (Number(port) < 1 || Number(port) > 65535)) return undefined;
  // The URL parser has the last word: an IPv6 literal must parse, and nothing may move into user info or path.
  const parsed = URL.canParse(`http://${name}`) ? new URL(`http://${name}`) : undefined;
  if (parsed?.hostname !== name) return undefined;
  return port === undefined ? name : `${name}:${port}`;
}

/**
 * The origin the request was made to, or undefined when its host is not a plain host.
 * @param req - the hook call
 */
export function callOrigin(req: Pick<Request, 'protocol' | 'host'>): string | undefined {
  const host = req.host === undefined ? undefined : plainHost(req.host);
  if (host === undefined || (req.protocol !== 'http' && req.protocol !== 'https')) return undefined;
  return `${req.protocol}://${host}`;
}
