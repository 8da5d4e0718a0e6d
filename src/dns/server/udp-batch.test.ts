// The batched UDP handler without the addon: datagrams written into the shared slots as the
// native side would, replies read back from the reply slots.
import { describe, expect, it, vi } from 'vitest';
import { silentLogger, type Logger } from '../../core/logger.js';
import { Rcode, RRType } from '../wire/constants.js';
import { parseMessage } from '../wire/reader.js';
import { encodeQuery } from '../wire/writer.js';
import { createAnswerCache } from './cache.js';
import { createEngine } from './engine.js';
import { createServerMetrics } from './metrics.js';
import { createRrl, defaultRrl } from './rrl.js';
import { buildZone } from './testing/zone-builder.js';
import {
  chooseUdpTransport,
  createBatchHandler,
  createSharedBuffers,
  type BatchShape,
} from './udp-batch.js';
import { createZoneTable } from './zone-table.js';
import type { Transport } from './handler.js';

const query = (name: string, type: number, id = 1, opcode = 0) =>
  encodeQuery({ id, name, type, flags: opcode << 11 });

function setup(o: { rrl?: boolean; outSlot?: number } = {}) {
  const table = createZoneTable();
  table.replace(
    buildZone('example.org.', [
      ['@', 'NS', 'ns1.example.org.'],
      ['www', 'A', '192.0.2.1'],
    ]),
  );
  const metrics = createServerMetrics();
  const engine = createEngine({
    table,
    cache: createAnswerCache(100),
    metrics,
    logger: silentLogger,
  });
  const shape: BatchShape = { batch: 8, slot: 1024, outSlot: o.outSlot ?? 1024, peerStride: 32 };
  const bufs = createSharedBuffers(shape);
  const slow: { msg: Buffer; t: Transport }[] = [];
  const sent: { bytes: Buffer; address: string; port: number }[] = [];
  const peerAddress = vi.fn((i: number) => `192.0.2.${bufs.peers[i * 32 + 7]}`);
  const rrl = o.rrl
    ? createRrl({ ...defaultRrl, responsesPerSecond: 1, slip: 1 }, { now: () => 0 })
    : undefined;
  const onBatch = createBatchHandler(
    shape,
    bufs,
    {
      engine,
      metrics,
      logger: silentLogger,
      rrl,
      slow: async (msg, t) => void slow.push({ msg, t }),
    },
    { peerAddress, sendTo: (bytes, address, port) => void sent.push({ bytes, address, port }) },
  );
  /** Place datagrams in the slots as recvmmsg would, from 192.0.2.<host>:<port>. */
  const receive = (...packets: { bytes: Buffer; host?: number; port?: number }[]) => {
    packets.forEach((p, i) => {
      p.bytes.copy(bufs.in, i * shape.slot);
      bufs.inLen[i] = p.bytes.length;
      const a = i * 32;
      bufs.peers.writeUInt16LE(2, a); // AF_INET
      bufs.peers.writeUInt16BE(p.port ?? 40000 + i, a + 2);
      bufs.peers.set([192, 0, 2, p.host ?? 10], a + 4);
    });
    return onBatch(packets.length);
  };
  const reply = (r: number) =>
    bufs.out.subarray(r * shape.outSlot, r * shape.outSlot + bufs.outLen[r]!);
  return { receive, reply, bufs, metrics, slow, sent, peerAddress, shape };
}

describe('the batched UDP handler', () => {
  it('answers a batch in one call, each reply in its slot and addressed to its query', () => {
    const { receive, reply, bufs } = setup();
    const n = receive(
      { bytes: query('www.example.org.', RRType.A, 11) },
      { bytes: query('nope.example.org.', RRType.A, 12) },
      { bytes: query('WWW.example.org.', RRType.A, 13) },
      { bytes: query('example.com.', RRType.A, 14) },
    );
    expect(n).toBe(4);
    expect([...bufs.outPeer.subarray(0, 4)]).toEqual([0, 1, 2, 3]);
    const m = [0, 1, 2, 3].map((r) => parseMessage(reply(r)));
    expect(m.map((x) => x.id)).toEqual([11, 12, 13, 14]);
    expect(m.map((x) => x.rcode)).toEqual([
      Rcode.NOERROR,
      Rcode.NXDOMAIN,
      Rcode.NOERROR,
      Rcode.REFUSED,
    ]);
    expect(reply(2).toString('latin1')).toContain('WWW');
    expect([...m[2]!.answers[0]!.rdata]).toEqual([192, 0, 2, 1]);
  });

  it('counts a datagram the kernel cut (length 0) as malformed and answers the rest', () => {
    const { receive, bufs, metrics } = setup();
    const n = receive({ bytes: Buffer.alloc(0) }, { bytes: query('www.example.org.', RRType.A) });
    expect(n).toBe(1);
    expect(bufs.outPeer[0]).toBe(1);
    expect(metrics.state().c.malformed).toBe(1);
  });

  it('hands UPDATE to the slow path with its own copy and the sender', async () => {
    const { receive, slow, sent, bufs } = setup();
    const update = query('example.org.', RRType.SOA, 99, 5);
    expect(receive({ bytes: update, host: 7, port: 5353 })).toBe(0);
    bufs.in.fill(0); // the next batch overwrites the slot
    expect(slow).toHaveLength(1);
    expect(slow[0]!.msg.equals(update)).toBe(true);
    expect(slow[0]!.t).toMatchObject({ tcp: false, address: '192.0.2.7', port: 5353 });
    slow[0]!.t.send(Buffer.from('x'));
    expect(sent[0]).toMatchObject({ address: '192.0.2.7', port: 5353 });
  });

  it('slips a truncated reply into the batch when RRL limits, and asks each address once', () => {
    const { receive, reply, metrics, peerAddress } = setup({ rrl: true });
    const q = { bytes: query('www.example.org.', RRType.A), host: 5 };
    const n = receive(q, q, q);
    expect(n).toBe(3);
    const [full, slipped] = [parseMessage(reply(0)), parseMessage(reply(1))];
    expect(full.answers).toHaveLength(1);
    expect(slipped.flags & 0x0200).toBe(0x0200);
    expect(slipped.answers).toHaveLength(0);
    expect(metrics.state().c.slip).toBe(2);
    expect(peerAddress).toHaveBeenCalledTimes(1);
  });

  it('sends a reply too large for its slot on its own', () => {
    const { receive, sent } = setup({ outSlot: 64 });
    const big = query('nope.example.org.', RRType.A);
    expect(receive({ bytes: big })).toBe(0);
    expect(sent).toHaveLength(1);
    expect(parseMessage(sent[0]!.bytes).rcode).toBe(Rcode.NXDOMAIN);
  });
});

describe('choosing the UDP transport', () => {
  const logger = () => {
    const warn = vi.fn();
    return { logger: { ...silentLogger, warn } as unknown as Logger, warn };
  };

  it('falls back to node:dgram when the addon is missing, saying why', () => {
    const { logger: l, warn } = logger();
    expect(chooseUdpTransport('auto', l, () => ({ reason: 'no compiler' }))).toBe('dgram');
    expect(warn).toHaveBeenCalledWith({ reason: 'no compiler' }, expect.stringMatching(/dgram/));
  });

  it('refuses to start when the batched transport is demanded but missing', () => {
    expect(() => chooseUdpTransport('batch', logger().logger, () => ({ reason: 'x' }))).toThrow(
      /unavailable: x/,
    );
  });

  it('never loads the addon for dgram', () => {
    const load = vi.fn(() => ({ reason: 'x' }));
    expect(chooseUdpTransport('dgram', logger().logger, load)).toBe('dgram');
    expect(load).not.toHaveBeenCalled();
  });
});
