/**
 * A TCP proxy on 127.0.0.1 that a test can cut and restore: the way to make a real PostgreSQL
 * unreachable for one client (refused connections, dropped sessions) without stopping the server
 * other test files share.
 */
import { createServer, type Server, type Socket, connect } from 'node:net';

export interface TcpProxy {
  readonly port: number;
  /** Drops every connection and refuses new ones. */
  readonly cut: () => Promise<void>;
  /** Accepts connections again on the same port. */
  readonly restore: () => Promise<void>;
  readonly close: () => Promise<void>;
}

/**
 * Starts a proxy to `127.0.0.1:targetPort`.
 * @param targetPort - where connections are forwarded
 */
export async function startTcpProxy(targetPort: number): Promise<TcpProxy> {
  const sockets = new Set<Socket>();
  const track = (socket: Socket): void => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  };
  const handle = (client: Socket): void => {
    const upstream = connect(targetPort, '127.0.0.1');
    track(client);
    track(upstream);
    client.pipe(upstream).pipe(client);
    client.on('error', () => upstream.destroy());
    upstream.on('error', () => client.destroy());
  };
  let server: Server = createServer(handle);
  const listen = (port: number): Promise<number> =>
    new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve((server.address() as { port: number }).port));
    });
  const port = await listen(0);
  const stop = (): Promise<void> =>
    new Promise((resolve) => {
      for (const socket of sockets) socket.destroy();
      server.close(() => resolve());
    });
  return {
    port,
    cut: stop,
    restore: async () => {
      server = createServer(handle);
      await listen(port);
    },
    close: () => (server.listening ? stop() : Promise.resolve()),
  };
}
