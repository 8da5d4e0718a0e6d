// TLS certificate: valid chain and days to expiry, read from a full handshake every time.
import { connect } from 'node:tls';
import type { Check } from './check.js';
import { describeError, since, stalled, stalledResult } from './check.js';

const dayMs = 86_400_000;

export const tls: Check<'tls'> = {
  type: 'tls',
  hostOf: (p) => p.host,
  run: (p, ctx) =>
    new Promise((resolve) => {
      const start = process.hrtime.bigint();
      // No `session` is passed, so this is always a full handshake: on a resumed session Node
      // returns an empty peer certificate and the expiry would be unknown.
      const socket = connect({
        host: p.host,
        port: p.port ?? 443,
        servername: p.servername ?? (/^[\d.:]+$/.test(p.host) ? undefined : p.host),
        rejectUnauthorized: false,
      });
      let done = false;
      const finish = (result: Parameters<typeof resolve>[0]): void => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        socket.destroy();
        resolve(result);
      };
      const timer = setTimeout(
        () =>
          finish(
            stalled(start, ctx.timeoutMs)
              ? stalledResult
              : { status: 'down', message: describeError({ code: 'TIMEOUT' }, ctx.timeoutMs) },
          ),
        ctx.timeoutMs,
      );
      socket.once('secureConnect', () => {
        const latencyMs = since(start);
        const cert = socket.getPeerCertificate();
        if (!cert.valid_to)
          return finish({ status: 'unknown', latencyMs, message: 'no peer certificate' });
        const expires = Date.parse(cert.valid_to);
        const days = Math.floor((expires - ctx.now()) / dayMs);
        const on = new Date(expires).toISOString().slice(0, 10);
        const value = days;
        if (expires <= ctx.now())
          return finish({
            status: 'down',
            latencyMs,
            value,
            message: `certificate expired on ${on}`,
          });
        if ((p.verify ?? true) && !socket.authorized)
          return finish({
            status: 'down',
            latencyMs,
            value,
            message: `certificate not trusted: ${String(socket.authorizationError)}`,
          });
        const warn = p.warnDays ?? 14;
        const message = `certificate expires in ${days} days (${on})`;
        finish({ status: days < warn ? 'down' : 'up', latencyMs, value, message });
      });
      socket.once('error', (err) =>
        finish({ status: 'down', message: describeError(err, ctx.timeoutMs) }),
      );
    }),
};
