/**
 * The listening HTTP server around the app, with the connection-level limits against slow clients:
 * - the documented bounds, `http.headersTimeoutMs` (10 s) and `http.requestTimeoutMs` (30 s), enforced to
 *   within a second: Node checks them only every `connectionsCheckingInterval` (30 s by default), so a
 *   slow client used to keep its socket for up to 40 s or a minute;
 * - at most `http.maxConnectionsPerAddress` open connections per client address: a further connection
 *   is answered 503 (an OperationOutcome with `Retry-After`) if it sends a request within a second, and
 *   closed either way, before the app sees it;
 * - idle keep-alive connections close after 5 s, and at most 100 headers are parsed.
 */
import { createServer, type IncomingMessage, type RequestListener, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { HttpConfig } from '../config/types.js';
import { securityOutcome } from '../auth/outcome.js';

/** How often Node looks for connections past their headers or request timeout, ms. */
export const TIMEOUT_CHECK_INTERVAL_MS = 1000;
const KEEP_ALIVE_TIMEOUT_MS = 5000;
/** How long a connection over the per-address cap may take to send the request its 503 answers. */
const OVER_CAP_GRACE_MS = 1000;

type SlowClientLimits = Pick<HttpConfig, 'headersTimeoutMs' | 'requestTimeoutMs' | 'maxConnectionsPerAddress'>;

const BUSY_BODY = JSON.stringify(securityOutcome('transient', 'Too many connections from this address, retry later'));

/**
 * Creates the server (not yet listening).
 * @param app - the request listener (the express app)
 * @param limits - `http.headersTimeoutMs`, `http.requestTimeoutMs`, `http.maxConnectionsPerAddress`
 */
export function createHttpServer(app: RequestListener, limits: SlowClientLimits): Server {
  const open = new Map<string, number>();
  const overCap = new WeakSet<Socket>();

  const listener = (req: IncomingMessage, res: ServerResponse): void => {
    if (!overCap.has(req.socket)) {
      app(req, res);
      return;
    }
    res.writeHead(503, {
      'content-type': 'application/fhir+json',
      'content-length': Buffer.byteLength(BUSY_BODY),
      'retry-after': '1',
      connection: 'close',
    });
    res.end(BUSY_BODY);
  };
  const server = createServer(
    {
      headersTimeout: limits.headersTimeoutMs,
      requestTimeout: limits.requestTimeoutMs,
      keepAliveTimeout: KEEP_ALIVE_TIMEOUT_MS,
      connectionsCheckingInterval: TIMEOUT_CHECK_INTERVAL_MS,
    },
    listener,
  );
  server.maxHeadersCount = 100;

  server.on('connection', (socket: Socket) => {
    const address = socket.remoteAddress ?? 'unknown';
    const count = open.get(address) ?? 0;
    if (count >= limits.maxConnectionsPerAddress) {
      overCap.add(socket);
      // A hard deadline: a slow client trickling bytes would reset an idle timeout forever.
      const deadline = setTimeout(() => socket.destroy(), OVER_CAP_GRACE_MS);
      deadline.unref();
      socket.once('close', () => clearTimeout(deadline));
      return;
    }
    open.set(address, count + 1);
    socket.once('close', () => {
      const left = (open.get(address) ?? 1) - 1;
      if (left <= 0) open.delete(address);
      else open.set(address, left);
    });
  });
  return server;
}
