// The query engine: answer one standard query from the cache, or resolve, sign, encode and cache
// it. A throw while answering becomes SERVFAIL and is counted (never a dead server).
import type { Logger } from '../../core/logger.js';
import { Rcode, RRClass, RRType } from '../wire/constants.js';
import { wireToName } from '../wire/name.js';
import { udpLimit, type QueryView } from '../wire/query.js';
import { createWriter } from '../wire/writer.js';
import type { Answer } from './answer.js';
import { patchReply, patchReplyInto, type AnswerCache, type CachedAnswer } from './cache.js';
import { chaosAnswer, type ChaosOptions } from './chaos.js';
import { addDnssec } from './dnssec-answer.js';
import { encodeAnswer, encodeEmpty, type ReplyContext } from './encode.js';
import { resolve, type LookupQuestion } from './lookup.js';
import type { ServerMetrics } from './metrics.js';
import type { AnswerSigner } from './signer.js';
import type { ZoneTable } from './zone-table.js';
import type { IndexedZone } from './zone-index.js';
import { negativeReply, soaTail } from './negative.js';

export interface EngineDeps {
  table: ZoneTable;
  cache: AnswerCache;
  metrics: ServerMetrics;
  logger: Logger;
  signer?: AnswerSigner;
  chaos?: ChaosOptions;
}

export interface Engine {
  /** The reply for a query read by readQuery (never AXFR/IXFR), from the cache when possible. */
  lookup(msg: Buffer, v: QueryView, tcp: boolean): CachedAnswer;
  /** The reply bytes for `lookup`'s result, patched for this query. */
  materialize(entry: CachedAnswer, msg: Buffer, v: QueryView): Buffer;
  /** `materialize` written into `out` at `at` (which must have room); returns its length. */
  materializeInto(entry: CachedAnswer, msg: Buffer, v: QueryView, out: Buffer, at: number): number;
  /** Answer a question outside the fast path (e.g. a TSIG-signed query); never cached. */
  answer(
    ctx: ReplyContext,
    q: LookupQuestion,
    qclass: number,
    ednsVersion: number,
  ): { bytes: Buffer; rcode: number };
  /** Drop every cached reply (zones added or removed change which names are ours). */
  flush(): void;
}

/** Query types that are not data and cannot be asked for in a normal query (RFC 6895 §3.1). */
interface Decision {
  bytes: Buffer;
  rcode: number;
  apex: string;
  answer?: Answer;
  /** Built from the query itself (not cacheable, needs no patching). */
  fresh?: boolean;
}

const metaFormerr = new Set<number>([RRType.OPT, RRType.TSIG, RRType.TKEY]);
const metaNotimp = new Set<number>([RRType.MAILA, RRType.MAILB]);

export function createEngine(deps: EngineDeps): Engine {
  const w = createWriter();

  const tails = new WeakMap<IndexedZone, Buffer>();
  const tailOf = (z: IndexedZone): Buffer => {
    let t = tails.get(z);
    if (!t) tails.set(z, (t = soaTail(z)));
    return t;
  };

  function decide(
    ctx: ReplyContext,
    q: LookupQuestion,
    qclass: number,
    ednsVersion: number,
    raw?: { msg: Buffer; v: QueryView },
  ): Decision {
    // RFC 6891 §6.1.3: an EDNS version we do not implement gets BADVERS and nothing else.
    if (ednsVersion > 0)
      return { bytes: encodeEmpty(ctx, Rcode.BADVERS, w), rcode: Rcode.BADVERS, apex: '' };
    if (metaFormerr.has(q.type))
      return { bytes: encodeEmpty(ctx, Rcode.FORMERR, w), rcode: Rcode.FORMERR, apex: '' };
    if (metaNotimp.has(q.type))
      return { bytes: encodeEmpty(ctx, Rcode.NOTIMP, w), rcode: Rcode.NOTIMP, apex: '' };
    let ans: Answer;
    if (qclass === RRClass.IN) {
      ans = resolve(deps.table, q);
      // Signed zones were signed at publish; with DO we add their RRSIGs and NSEC3 proofs.
      if (q.dnssecOk && ans.zones.some((z) => z.nsec3)) addDnssec(ans);
      else if (deps.signer && ans.zones.length > 0)
        deps.signer.sign({ question: q, answer: ans, dnssecOk: q.dnssecOk });
      else if (raw) {
        const quick = negativeReply(raw.msg, raw.v, ans, tailOf);
        if (quick)
          return { bytes: quick, rcode: ans.rcode, apex: ans.zones[0]?.apex ?? '', fresh: true };
      }
    } else if (qclass === RRClass.CH) {
      ans = chaosAnswer(deps.chaos, q.name, q.type, q.wire);
    } else {
      return { bytes: encodeEmpty(ctx, Rcode.REFUSED, w), rcode: Rcode.REFUSED, apex: '' };
    }
    const bytes = encodeAnswer(ans, ctx, w, qclass);
    return { bytes, rcode: ans.rcode, apex: ans.zones[0]?.apex ?? '', answer: ans };
  }

  function safely(
    ctx: ReplyContext,
    q: LookupQuestion,
    qclass: number,
    ednsVersion: number,
    raw?: { msg: Buffer; v: QueryView },
  ): Decision {
    try {
      return decide(ctx, q, qclass, ednsVersion, raw);
    } catch (err) {
      deps.metrics.crash();
      deps.logger.error(
        { err, qname: q.name, qtype: q.type },
        'dns: answering threw; replied SERVFAIL',
      );
      return { bytes: encodeEmpty(ctx, Rcode.SERVFAIL, w), rcode: Rcode.SERVFAIL, apex: '' };
    }
  }

  return {
    lookup(msg, v, tcp) {
      const hit = deps.cache.get(v.key);
      if (hit) return hit;
      const wire = msg.subarray(12, v.nameEnd);
      const limit = tcp ? 65535 : udpLimit(v);
      const ctx: ReplyContext = {
        id: v.id,
        queryFlags: v.flags,
        opcode: 0,
        question: { wire, type: v.qtype, class: v.qclass },
        edns: v.edns ? { do: v.dnssecOk } : undefined,
        limit,
      };
      let name: string;
      try {
        name = wireToName(msg, 12, true);
      } catch {
        return {
          bytes: encodeEmpty(ctx, Rcode.FORMERR, w),
          rcode: Rcode.FORMERR,
          apex: '',
          zones: [],
        };
      }
      const r = safely(
        ctx,
        { name, wire, type: v.qtype, dnssecOk: v.dnssecOk, tcp },
        v.qclass,
        v.ednsVersion,
        { msg, v },
      );
      const entry: CachedAnswer = {
        bytes: r.bytes,
        rcode: r.rcode,
        apex: r.apex,
        zones: r.answer?.zones ?? [],
        fresh: r.fresh,
      };
      if (r.rcode !== Rcode.SERVFAIL && !r.fresh) deps.cache.set(v.key, entry);
      return entry;
    },
    // A fresh reply was built from this very query; a cached one is copied and patched.
    materialize: (entry, msg, v) =>
      entry.fresh ? entry.bytes : patchReply(entry.bytes, msg, v.nameEnd),
    materializeInto: (entry, msg, v, out, at) =>
      entry.fresh
        ? entry.bytes.copy(out, at)
        : patchReplyInto(entry.bytes, msg, v.nameEnd, out, at),
    answer(ctx, q, qclass, ednsVersion) {
      const r = safely(ctx, q, qclass, ednsVersion);
      return { bytes: r.bytes, rcode: r.rcode };
    },
    flush: () => deps.cache.clear(),
  };
}
