// The NOTIFY sender against a fake secondary on loopback: retried until acknowledged, replaced
// by a newer change, and given up after the attempt limit.
import { createSocket, type Socket } from 'node:dgram';
import { afterEach, describe, expect, it } from 'vitest';
import { systemClock } from '../../core/clock.js';
import { silentLogger } from '../../core/logger.js';
import { Opcode, RRType } from '../wire/constants.js';
import { parseMessage, type ParsedMessage } from '../wire/reader.js';
import { createServerMetrics } from './metrics.js';
import { createNotifier, type Notifier } from './notify.js';
import { buildZone } from './testing/zone-builder.js';
import { indexZone } from './zone-index.js';

let cleanup: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanup) c();
  cleanup = [];
});

/** A secondary that ignores the first `ignore` NOTIFYs, then acknowledges. */
async function secondary(
  ignore: number,
): Promise<{ port: number; seen: ParsedMessage[]; sock: Socket }> {
  const sock = createSocket('udp4');
  const seen: ParsedMessage[] = [];
  sock.on('message', (b, r) => {
    const m = parseMessage(b);
    seen.push(m);
    if (seen.length <= ignore) return;
    const ack = Buffer.from(b.subarray(0, 12));
    ack[2] = 0x80 | (Opcode.NOTIFY << 3);
    ack.fill(0, 6, 12);
    sock.send(
      Buffer.concat([ack, b.subarray(12, 12 + m.questions[0]!.wire.length + 4)]),
      r.port,
      r.address,
    );
  });
  await new Promise<void>((r) => sock.bind(0, '127.0.0.1', () => r()));
  cleanup.push(() => sock.close());
  return { port: sock.address().port, seen, sock };
}

function notifier(port: number, maxAttempts = 10): Notifier {
  const n = createNotifier(
    { targets: [{ address: '127.0.0.1', port }], retryMs: 20, maxAttempts },
    { logger: silentLogger, metrics: createServerMetrics(), provider: {}, clock: systemClock },
  );
  cleanup.push(() => n.close());
  return n;
}

const until = async (cond: () => boolean): Promise<void> => {
  for (let i = 0; i < 200 && !cond(); i++) await new Promise((r) => setTimeout(r, 10));
};

describe('the NOTIFY sender', () => {
  it('sends an authoritative NOTIFY for the zone SOA and retries until acknowledged', async () => {
    const s = await secondary(2);
    const n = notifier(s.port);
    n.zoneChanged(indexZone(buildZone('example.org.', [], { serial: 7 })));
    await until(() => n.pending() === 0);
    expect(n.pending()).toBe(0);
    expect(s.seen).toHaveLength(3);
    expect(s.seen[0]).toMatchObject({
      opcode: Opcode.NOTIFY,
      questions: [{ name: 'example.org.', type: RRType.SOA }],
    });
    expect(s.seen[0]!.flags & 0x0400).toBe(0x0400);
  });

  it('gives up after the attempt limit', async () => {
    const s = await secondary(1000);
    const n = notifier(s.port, 3);
    n.zoneChanged(indexZone(buildZone('example.org.', [])));
    await until(() => n.pending() === 0);
    expect(n.pending()).toBe(0);
    expect(s.seen).toHaveLength(3);
  });
});
