// ICMP ping through the system's `ping` (iputils), which holds the raw-socket privilege we lack.
import { execFile } from 'node:child_process';
import type { Check } from './check.js';

interface Outcome {
  stdout: string;
  stderr: string;
  code: number | null;
}

function runPing(args: string[], timeoutMs: number): Promise<Outcome> {
  return new Promise((resolve) => {
    execFile('ping', args, { timeout: timeoutMs, encoding: 'utf8' }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : null) : 0;
      resolve({ stdout, stderr, code });
    });
  });
}

export const ping: Check<'ping'> = {
  type: 'ping',
  hostOf: (p) => p.host,
  async run(p, ctx) {
    const count = Math.max(1, p.count ?? 1);
    const wait = Math.max(1, Math.ceil(ctx.timeoutMs / 1000));
    // -n: no reverse lookups; -q: summary only; -W: per-reply wait; -i 0.2: the unprivileged minimum.
    const args = ['-n', '-q', '-c', String(count), '-i', '0.2', '-W', String(wait), p.host];
    const out = await runPing(args, ctx.timeoutMs + count * 200 + 1000);
    const rtt = /= [\d.]+\/([\d.]+)\//.exec(out.stdout);
    const loss = /(\d+(?:\.\d+)?)% packet loss/.exec(out.stdout)?.[1];
    if (out.code === 0 && rtt?.[1]) {
      const latencyMs = Number(rtt[1]);
      return { status: 'up', latencyMs, message: `rtt ${latencyMs} ms, ${loss ?? 0}% loss` };
    }
    if (loss !== undefined) return { status: 'down', message: `no reply (${loss}% packet loss)` };
    const why = (out.stderr || out.stdout).trim().split('\n')[0] ?? '';
    // ping could not run at all (no such host, no binary): the monitor cannot tell.
    return {
      status: out.code === null ? 'unknown' : 'down',
      message: why || `ping exited ${out.code}`,
    };
  },
};
