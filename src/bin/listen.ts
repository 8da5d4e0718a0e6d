// Binding the panel and API listeners to their configured addresses.
import type { AddressInfo } from 'node:net';
import { createAdaptorServer } from '@hono/node-server';
import type { Hono } from 'hono';
import type { Logger } from '../core/logger.js';

export interface Listening {
  addresses: string[];
  close(): Promise<void>;
}

function splitHostPort(address: string): { host: string; port: number } {
  const m = /^\[?([^\]]+?)\]?:(\d+)$/.exec(address);
  if (!m) throw new Error(`not a host:port address: ${address}`);
  return { host: m[1]!, port: Number(m[2]) };
}

/**
 * Listen on every address; an address that cannot be bound (no IPv6 on this host, say) is
 * logged and skipped, but at least one must work.
 */
export async function listen(
  name: string,
  app: Hono<never>,
  addresses: readonly string[],
  logger: Logger,
): Promise<Listening> {
  const servers: ReturnType<typeof createAdaptorServer>[] = [];
  const bound: string[] = [];
  for (const address of addresses) {
    const { host, port } = splitHostPort(address);
    const server = createAdaptorServer({ fetch: app.fetch });
    try {
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => resolve());
      });
      const info = server.address() as AddressInfo;
      bound.push(
        info.family === 'IPv6' ? `[${info.address}]:${info.port}` : `${info.address}:${info.port}`,
      );
      servers.push(server);
    } catch (err) {
      logger.warn({ err, address }, `${name}: could not listen on ${address}`);
    }
  }
  if (bound.length === 0)
    throw new Error(`${name}: could not listen on any of ${addresses.join(', ')}`);
  return {
    addresses: bound,
    close: () =>
      Promise.all(
        servers.map(
          (s) =>
            new Promise<void>((resolve) => {
              s.close(() => resolve());
              (s as { closeAllConnections?: () => void }).closeAllConnections?.();
            }),
        ),
      ).then(() => undefined),
  };
}
