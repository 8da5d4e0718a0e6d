// SSH banner: the server's first line must start `SSH-2.0-` (and match a pinned pattern if set).
import { connect } from 'node:net';
import type { Check } from './check.js';
import { describeError, since, stalled, stalledResult } from './check.js';
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
      // Lines before the version line are allowed (RFC 4253 §4.2), so a non-SSH line is only
      // the verdict once the server stops talking; it is what gets reported.
      let shown = '';
      const fail = (fallback: string): void => finish({ ok: false, text: shown || fallback });
      const timer = setTimeout(() => {
        if (!stalled(start, ctx.timeoutMs))
          return fail(received || `no banner within ${ctx.timeoutMs / 1000}s`);
        done = true;
        socket.destroy();
        resolve(stalledResult);
      }, ctx.timeoutMs);
      socket.setEncoding('latin1');
      socket.on('data', (chunk: string) => {
        received += chunk;
        for (let nl = received.indexOf('\n'); nl >= 0; nl = received.indexOf('\n')) {
          const line = received.slice(0, nl).replace(/\r$/, '');
          received = received.slice(nl + 1);
          if (line.startsWith('SSH-')) return judge(line);
          shown ||= line.trim();
        }
        if (received.length > maxBannerBytes) fail(received);
      });
      socket.once('end', () => fail(received));
      socket.once('error', (err) => fail(received || describeError(err, ctx.timeoutMs)));
    }),
};
