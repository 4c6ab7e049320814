import { createServer } from 'node:net';
import { serve as serveNode } from '@hono/node-server';
import type { Hono } from 'hono';

/** Fails with one line naming the port when something already listens on it. */
export function assertPortFree(port: number, what = 'Accord'): Promise<void> {
  return new Promise((resolvePromise, reject) => {
    const probe = createServer();
    probe.once('error', (error: NodeJS.ErrnoException) =>
      reject(new Error(error.code === 'EADDRINUSE' ? `Port ${port} is already in use (${what}); set PORT to another port` : error.message)),
    );
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolvePromise()));
  });
}

/** Serves a Hono app on 127.0.0.1; `port` 0 picks a free one. */
export function serve(app: { fetch: Hono["fetch"] }, port: number): Promise<{ port: number; url: string; stop(): Promise<void> }> {
  return new Promise((resolvePromise, reject) => {
    const server = serveNode({ fetch: app.fetch, hostname: '127.0.0.1', port }, (info) =>
      resolvePromise({
        port: info.port,
        url: `http://127.0.0.1:${info.port}`,
        stop: () => new Promise((done) => server.close(() => done())),
      }),
    );
    server.once('error', reject);
  });
}
