/**
 * The `fhir.allowedServers` match (contract.md): a FHIR server may be called only when an entry has
 * the same scheme and host, the same port (`*` = any port, the default one included; no port = the
 * scheme's default) and a path that is a segment-wise prefix of the server's path.
 */

interface AllowedEntry {
  readonly protocol: string;
  readonly hostname: string;
  /** `'*'`, or the effective port as a string. */
  readonly port: string;
  readonly segments: readonly string[];
}

const DEFAULT_PORTS: Readonly<Record<string, string>> = { 'http:': '80', 'https:': '443' };
const ENTRY = /^(https?):\/\/(\[[0-9a-fA-F:.]+\]|[^/:?#[\]@]+)(?::(\d{1,5}|\*))?(\/[^?#]*)?$/;

const pathSegments = (path: string): string[] => path.split('/').filter((segment) => segment.length > 0);

/** Parses one entry; `undefined` when it is not a usable base URL (such an entry allows nothing). */
function parseEntry(entry: string): AllowedEntry | undefined {
  const match = ENTRY.exec(entry.trim());
  if (match === null) {
    return undefined;
  }
  const protocol = `${(match[1] as string).toLowerCase()}:`;
  // Normalise the host the way WHATWG URL does (case, IPv6 compression), so both sides compare alike.
  let hostname: string;
  try {
    hostname = new URL(`${protocol}//${match[2] as string}/`).hostname;
  } catch {
    return undefined;
  }
  const port = match[3] === '*' ? '*' : (match[3] ?? DEFAULT_PORTS[protocol] ?? '');
  return { protocol, hostname, port: port === '*' ? port : String(Number(port)), segments: pathSegments(match[4] ?? '/') };
}

/**
 * Whether `url` may be called under `allowedServers`.
 * @param url - the FHIR server base (or any URL below it)
 * @param allowedServers - entries such as `https://ehr.example.org/fhir` or `http://127.0.0.1:*`
 */
export function isAllowedServer(url: URL | string, allowedServers: readonly string[]): boolean {
  let target: URL;
  try {
    target = typeof url === 'string' ? new URL(url) : url;
  } catch {
    return false;
  }
  const targetPort = target.port === '' ? (DEFAULT_PORTS[target.protocol] ?? '') : target.port;
  const targetSegments = pathSegments(target.pathname);
  return allowedServers.some((raw) => {
    const entry = parseEntry(raw);
    return (
      entry !== undefined &&
      entry.protocol === target.protocol &&
      entry.hostname === target.hostname &&
      (entry.port === '*' || entry.port === targetPort) &&
      entry.segments.length <= targetSegments.length &&
      entry.segments.every((segment, index) => segment === targetSegments[index])
    );
  });
}
