/**
 * The physical limit of one Node process for the HTTP benchmark: a bare `node:http` server that reads
 * the whole body, JSON-parses it and answers a fixed body, nothing else. Prints its port on stdout.
 */
import { createServer } from 'node:http';

const ANSWER = JSON.stringify({ cards: [] });

const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => {
    JSON.parse(Buffer.concat(chunks).toString('utf8'));
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(ANSWER) }).end(ANSWER);
  });
});
server.keepAliveTimeout = 5000;
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`${(server.address() as { port: number }).port}\n`);
});
process.once('SIGTERM', () => server.close(() => process.exit(0)));
