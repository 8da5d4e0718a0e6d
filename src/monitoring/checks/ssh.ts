// SSH banner: the server's first line must start `SSH-2.0-` (and match a pinned pattern if set).
import { connect } from 'node:net';
import type { Check } from './check.js';
import { describeError, since } from './check.js';
import { clean, truncateBytes } from '../format.js';

/** Our identification string: a polite client says who it is before hanging up. */
const ours = 'SSH-2.0-BestiaryMonitor\r\n';
/** RFC 4253 allows other lines before the version line; a banner longer than this is not SSH. */
const maxBannerBytes = 4096;

export const ssh: Check<'ssh'> = {
  type: 'ssh',
  hostOf: (p) => p.host,
  run: (p, ctx) =>
    new Promise((resolve) => {
      const start = process.hrtime.bigint();
      const socket = connect({ host: p.host, port: p.port ?? 22 });
      let received = '';
      let done = false;
      const from = `bad banner from \`${p.host}'`;
      const finish = (result: { ok: boolean; text: string }): void => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        socket.destroy();
        const shown = truncateBytes(clean(result.text), 160);
        resolve(
          result.ok
            ? { status: 'up', latencyMs: since(start), message: shown }
            : { status: 'down', message: `${from}: ${shown}`.trimEnd() },
        );
      };
      const judge = (line: string): void => {
        if (!line.startsWith('SSH-2.0-')) return finish({ ok: false, text: line });
        if (p.pattern && !new RegExp(p.pattern).test(line))
          return finish({ ok: false, text: `${line} (expected /${p.pattern}/)` });
        socket.write(ours);
        finish({ ok: true, text: line });
      };
      const timer = setTimeout(
        () => finish({ ok: false, text: received || `no banner within ${ctx.timeoutMs / 1000}s` }),
        ctx.timeoutMs,
      );
      socket.setEncoding('latin1');
      socket.on('data', (chunk: string) => {
        received += chunk;
        for (;;) {
          const nl = received.indexOf('\n');
          if (nl < 0) break;
          const line = received.slice(0, nl).replace(/\r$/, '');
          received = received.slice(nl + 1);
          // Lines before the version line are allowed; anything else is the verdict.
          if (line.startsWith('SSH-') || received.length === 0) return judge(line);
        }
        if (received.length > maxBannerBytes) finish({ ok: false, text: received });
      });
      socket.once('end', () => finish({ ok: false, text: received }));
      socket.once('error', (err) =>
        finish({ ok: false, text: received || describeError(err, ctx.timeoutMs) }),
      );
    }),
};
