// Zone transfer to secondaries: AXFR (RFC 5936) and IXFR (RFC 1995) over TCP, allowed by source
// address and/or TSIG key, each message TSIG-signed when the request was (RFC 8945 §5.3.1).
import { BlockList, isIPv4 } from 'node:net';
import type { Clock } from '../../core/clock.js';
import { Flag, Rcode, RRClass, RRType } from '../wire/constants.js';
import type { ParsedMessage, WireQuestion } from '../wire/reader.js';
import { createWriter, writeName, writeRecord, type OutRecord } from '../wire/writer.js';
import { nameToWire } from '../wire/name.js';
import { zoneRecords, type Journal } from './journal.js';
import type { ServerMetrics } from './metrics.js';
import type { AnswerSigner } from './signer.js';
import { keyAllows, signReply, type TsigSession } from './tsig-guard.js';
import type {
  SnapshotRecord,
  SnapshotSoa,
  TransferRule,
  ZoneChange,
  ZoneProvider,
} from './types.js';
import { encodeSoa, type IndexedZone } from './zone-index.js';
import type { ZoneTable } from './zone-table.js';

export interface TransferDeps {
  table: ZoneTable;
  provider: ZoneProvider;
  journal: Journal;
  transferRules: readonly TransferRule[];
  clock: Clock;
  metrics: ServerMetrics;
  signer?: AnswerSigner;
}

export interface TransferRequest {
  msg: ParsedMessage;
  question: WireQuestion;
  source: string;
  tcp: boolean;
  session?: TsigSession;
  send(bytes: Buffer): void;
  drain(): Promise<void>;
}

const MESSAGE_LIMIT = 16_384;

/** RFC 1982 serial comparison: true when a is at or after b. */
export const serialAtLeast = (a: number, b: number): boolean => (a - b) >>> 0 < 0x80000000;

function ruleMatches(
  rule: TransferRule,
  source: string,
  session: TsigSession | undefined,
  apex: string,
): boolean {
  if (rule.cidr) {
    const [net = '', bits] = rule.cidr.split('/');
    const family = isIPv4(net) ? 'ipv4' : 'ipv6';
    const list = new BlockList();
    list.addSubnet(net, Number(bits ?? (family === 'ipv4' ? 32 : 128)), family);
    const addr = source.startsWith('::ffff:') ? source.slice(7) : source;
    if (!list.check(addr, isIPv4(addr) ? 'ipv4' : 'ipv6')) return false;
  }
  if (rule.keyName) {
    if (
      !session ||
      session.key.name.toLowerCase().replace(/\.?$/, '.') !==
        rule.keyName.toLowerCase().replace(/\.?$/, '.')
    )
      return false;
  }
  if (session && !keyAllows(session.key, apex)) return false;
  return true;
}

const soaRecord = (zone: IndexedZone, soa: SnapshotSoa | undefined, serial: number): OutRecord => {
  const fields = soa ?? { ...zone.soaFields, serial };
  return {
    owner: zone.soa.owner,
    type: RRType.SOA,
    class: RRClass.IN,
    ttl: fields.ttl,
    rdata: soa?.rdata ?? (soa ? encodeSoa(soa) : encodeSoa(fields)),
  };
};
const out = (r: SnapshotRecord): OutRecord => ({
  owner: nameToWire(r.name),
  type: r.type,
  class: RRClass.IN,
  ttl: r.ttl,
  rdata: r.rdata,
});

/** Stream `records` as a series of messages of at most 16 KiB, each signed when a session exists. */
async function stream(
  req: TransferRequest,
  deps: TransferDeps,
  records: Iterable<OutRecord>,
): Promise<void> {
  const w = createWriter();
  let count = 0;
  let first = true;
  const begin = (): void => {
    w.dict.clear();
    w.pos = 12;
    count = 0;
    // RFC 5936 §2.2.1: the question goes in the first message (we repeat it in every one).
    writeName(w, req.question.wire);
    w.buf.writeUInt16BE(req.question.type, w.pos);
    w.buf.writeUInt16BE(req.question.class, w.pos + 2);
    w.pos += 4;
  };
  const flush = async (): Promise<void> => {
    w.buf.writeUInt16BE(req.msg.id, 0);
    w.buf.writeUInt16BE(Flag.QR | Flag.AA, 2);
    w.buf.writeUInt16BE(1, 4);
    w.buf.writeUInt16BE(count, 6);
    w.buf.writeUInt32BE(0, 8);
    req.send(signReply(Buffer.from(w.buf.subarray(0, w.pos)), req.session, deps.clock));
    first = false;
    await req.drain();
  };
  begin();
  for (const rr of records) {
    if (writeRecord(w, rr, MESSAGE_LIMIT)) {
      count++;
      continue;
    }
    await flush();
    begin();
    if (!writeRecord(w, rr, 65000)) throw new Error('record too large for a transfer message');
    count++;
  }
  if (count > 0 || first) await flush();
}

function* axfrRecords(zone: IndexedZone, signer: AnswerSigner | undefined): Generator<OutRecord> {
  const soa = soaRecord(zone, zone.soaFields, zone.serial);
  yield soa;
  for (const r of zoneRecords(zone).values()) yield out(r);
  for (const r of signer?.zoneRecords?.(zone) ?? []) yield out(r);
  yield soa;
}

function* ixfrRecords(zone: IndexedZone, changes: readonly ZoneChange[]): Generator<OutRecord> {
  // RFC 1995 §4: current SOA, then per change: old SOA, deletions, new SOA, additions; current SOA.
  const current = soaRecord(zone, zone.soaFields, zone.serial);
  yield current;
  for (const c of changes) {
    yield soaRecord(zone, c.oldSoa, c.oldSerial);
    for (const r of c.removed) yield out(r);
    yield soaRecord(zone, c.newSoa, c.newSerial);
    for (const r of c.added) yield out(r);
  }
  yield current;
}

/** The serial of the SOA a client sends in the authority section of its IXFR query. */
function clientSerial(msg: ParsedMessage): number | undefined {
  const soa = msg.authority.find((r) => r.type === RRType.SOA);
  if (!soa) return undefined;
  // Skip MNAME and RNAME (each ends at a zero octet); the serial follows.
  let p = 0;
  for (let names = 0; names < 2; names++) {
    while (p < soa.rdata.length && soa.rdata[p] !== 0) p += soa.rdata[p]! + 1;
    p++;
  }
  return p + 4 <= soa.rdata.length ? Buffer.from(soa.rdata).readUInt32BE(p) : undefined;
}

/**
 * Serve an AXFR or IXFR question. Returns the RCODE to send as a plain reply when the transfer
 * is refused (the caller builds it), or null when the transfer messages were sent.
 */
export async function serveTransfer(
  req: TransferRequest,
  deps: TransferDeps,
): Promise<number | null> {
  const zone = deps.table.getZone(req.question.name);
  if (!zone || zone.apex !== req.question.name) return Rcode.NOTAUTH;
  if (!deps.transferRules.some((r) => ruleMatches(r, req.source, req.session, zone.apex)))
    return Rcode.REFUSED;
  const isIxfr = req.question.type === RRType.IXFR;
  if (!req.tcp) {
    if (!isIxfr) return Rcode.FORMERR;
    // RFC 1995 §2: over UDP we send just the current SOA, telling the client to come over TCP.
    await stream(req, deps, [soaRecord(zone, zone.soaFields, zone.serial)]);
    return null;
  }
  if (isIxfr) {
    const from = clientSerial(req.msg);
    if (from === undefined) return Rcode.FORMERR;
    if (serialAtLeast(from, zone.serial)) {
      await stream(req, deps, [soaRecord(zone, zone.soaFields, zone.serial)]);
      deps.metrics.transfer('ixfr', true);
      return null;
    }
    const changes = deps.provider.getChanges
      ? await deps.provider.getChanges(zone.apex, from)
      : deps.journal.changesSince(zone.apex, from);
    // Only a history that runs from the client's serial to ours is usable; anything else is AXFR.
    const usable =
      changes &&
      changes.length > 0 &&
      changes[0]!.oldSerial === from &&
      changes.at(-1)!.newSerial === zone.serial;
    // A signed zone gets AXFR instead (RFC 1995 §4 allows it): its history holds no signatures.
    if (usable && !deps.signer && !zone.nsec3) {
      await stream(req, deps, ixfrRecords(zone, changes));
      deps.metrics.transfer('ixfr', true);
      return null;
    }
  }
  // AXFR, or IXFR without usable history: the whole zone in AXFR form (RFC 1995 §4).
  await stream(req, deps, axfrRecords(zone, deps.signer));
  deps.metrics.transfer('axfr', true);
  return null;
}
