// TCP connect: up when the port accepts a connection within the timeout.
import { connect } from 'node:net';
import type { Check } from './check.js';
import { describeError, hostPort, since, stalled, stalledResult } from './check.js';

export const tcp: Check<'tcp'> = {
  type: 'tcp',
  hostOf: (p) => p.host,
  run: (p, ctx) =>
    new Promise((resolve) => {
      const start = process.hrtime.bigint();
      const socket = connect({ host: p.host, port: p.port });
      let done = false;
      const finish = (err: unknown): void => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        socket.destroy();
        resolve(
          err
            ? { status: 'down', message: `${describeError(err, ctx.timeoutMs)} on port ${p.port}` }
            : {
                status: 'up',
                latencyMs: since(start),
                message: `connected to ${hostPort(p.host, p.port)}`,
              },
        );
      };
      const timer = setTimeout(() => {
        if (!stalled(start, ctx.timeoutMs)) return finish({ code: 'TIMEOUT' });
        done = true;
        socket.destroy();
        resolve(stalledResult);
      }, ctx.timeoutMs);
      socket.once('connect', () => finish(null));
      socket.once('error', finish);
    }),
};
