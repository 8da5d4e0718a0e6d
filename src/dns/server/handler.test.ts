// The slow path's dispatch rules: FORMERR, NOTIMP, REFUSED and silence, each for its reason.
import { describe, expect, it } from 'vitest';
import { systemClock } from '../../core/clock.js';
import { silentLogger } from '../../core/logger.js';
import { Opcode, Rcode, RRType } from '../wire/constants.js';
import { nameToWire } from '../wire/name.js';
import { parseMessage } from '../wire/reader.js';
import { encodeMessage } from '../wire/writer.js';
import { createAnswerCache } from './cache.js';
import { createEngine } from './engine.js';
import { createSlowPath } from './handler.js';
import { createJournal } from './journal.js';
import { createServerMetrics } from './metrics.js';
import { buildZone } from './testing/zone-builder.js';
import { createZoneTable } from './zone-table.js';

function setup() {
  const table = createZoneTable();
  table.replace(buildZone('example.org.', [['www', 'A', '192.0.2.1']]));
  const metrics = createServerMetrics();
  const engine = createEngine({
    table,
    cache: createAnswerCache(10),
    metrics,
    logger: silentLogger,
  });
  const slow = createSlowPath({
    engine,
    table,
    provider: {},
    journal: createJournal(),
    transferRules: [],
    clock: systemClock,
    metrics,
    logger: silentLogger,
  });
  const send = async (msg: Buffer, tcp = false) => {
    const out: Buffer[] = [];
    await slow(msg, {
      tcp,
      address: '127.0.0.1',
      port: 1,
      send: (b) => out.push(b),
      drain: () => Promise.resolve(),
    });
    return out.map((b) => parseMessage(b));
  };
  return { send };
}

const message = (o: {
  opcode?: number;
  qr?: boolean;
  questions?: number;
  type?: number;
  name?: string;
}) => {
  const bytes = encodeMessage({
    id: 99,
    flags: ((o.opcode ?? 0) << 11) | (o.qr ? 0x8000 : 0),
    rcode: 0,
    question:
      o.questions === 0
        ? undefined
        : { wire: nameToWire(o.name ?? 'www.example.org.'), type: o.type ?? RRType.A, class: 1 },
    answer: [],
    authority: [],
    additional: [],
  });
  if ((o.questions ?? 1) > 1) bytes.writeUInt16BE(o.questions!, 4);
  return bytes;
};

describe('the slow path', () => {
  it.each([
    ['no question', message({ questions: 0 }), Rcode.FORMERR],
    ['an IQUERY', message({ opcode: Opcode.IQUERY }), Rcode.NOTIMP],
    ['a STATUS request', message({ opcode: Opcode.STATUS }), Rcode.NOTIMP],
    [
      'a NOTIFY to the primary',
      message({ opcode: Opcode.NOTIFY, type: RRType.SOA }),
      Rcode.REFUSED,
    ],
    [
      'an AXFR from a source no rule allows',
      message({ type: RRType.AXFR, name: 'example.org.' }),
      Rcode.REFUSED,
    ],
    ['an AXFR of a name that is not a zone apex', message({ type: RRType.AXFR }), Rcode.NOTAUTH],
    [
      'an unsigned UPDATE',
      message({ opcode: Opcode.UPDATE, type: RRType.SOA, name: 'example.org.' }),
      Rcode.REFUSED,
    ],
    [
      'an UPDATE of a zone we do not serve',
      message({ opcode: Opcode.UPDATE, type: RRType.SOA, name: 'example.com.' }),
      Rcode.NOTAUTH,
    ],
  ])('answers %s with the right RCODE', async (_what, msg, rcode) => {
    const [reply] = await setup().send(msg);
    expect(reply!.rcode).toBe(rcode);
    expect(reply!.id).toBe(99);
  });

  it('answers a claimed second question it cannot find with FORMERR from the header', async () => {
    const [reply] = await setup().send(message({ questions: 2 }));
    expect(reply!.rcode).toBe(Rcode.FORMERR);
  });

  it('stays silent on responses and on packets shorter than a header', async () => {
    const { send } = setup();
    expect(await send(message({ qr: true }))).toHaveLength(0);
    expect(await send(Buffer.from([1, 2, 3]))).toHaveLength(0);
  });
});
