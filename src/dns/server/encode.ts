// Turning an Answer into reply bytes, and the small error replies (FORMERR, NOTIMP, ...).
import { EDNS_MAX_PAYLOAD, Flag, HEADER_SIZE, RRClass } from '../wire/constants.js';
import { encodeMessage, type OutOpt, type OutRecord, type Writer } from '../wire/writer.js';
import type { Answer, SectionEntry } from './answer.js';

export interface ReplyContext {
  id: number;
  /** The query's header flags; RD and CD are copied (RFC 1035 §4.1.1, RFC 6840 §5.9). */
  queryFlags: number;
  opcode: number;
  question?: { wire: Uint8Array; type: number; class: number };
  /** Present when the query had EDNS: our OPT goes in the reply (RFC 6891 §6.1.1). */
  edns?: { do: boolean };
  limit: number;
}

const records = (entries: readonly SectionEntry[], klass: number): OutRecord[] => {
  const out: OutRecord[] = [];
  for (const e of entries) {
    const ttl = e.ttl ?? e.rrset.ttl;
    for (const rdata of e.rrset.rdata)
      out.push({
        owner: e.owner,
        type: e.rrset.type,
        class: klass,
        ttl,
        rdata,
        required: e.required,
      });
  }
  return out;
};

/** Reply header flags for `ctx`: QR, opcode, RD/CD copied, AA when asked; RA is never set. */
export const replyFlags = (ctx: ReplyContext, aa: boolean): number =>
  Flag.QR |
  ((ctx.opcode & 0xf) << 11) |
  (aa ? Flag.AA : 0) |
  (ctx.queryFlags & (Flag.RD | Flag.CD));

const opt = (ctx: ReplyContext, rcode: number): OutOpt | undefined =>
  ctx.edns
    ? { udpSize: EDNS_MAX_PAYLOAD, extRcode: rcode >> 4, version: 0, do: ctx.edns.do }
    : undefined;

/** Encode an answer within the context's size limit. */
export function encodeAnswer(
  ans: Answer,
  ctx: ReplyContext,
  w: Writer,
  klass: number = RRClass.IN,
): Buffer {
  return encodeMessage(
    {
      id: ctx.id,
      flags: replyFlags(ctx, ans.aa),
      rcode: ans.rcode & 0xf,
      question: ctx.question,
      answer: records(ans.answer, klass),
      authority: records(ans.authority, klass),
      additional: records(ans.additional, klass),
      opt: opt(ctx, ans.rcode),
    },
    ctx.limit,
    w,
  );
}

/** A reply with no records: errors, refusals, BADVERS (extended RCODE in OPT, RFC 6891 §6.1.3). */
export function encodeEmpty(ctx: ReplyContext, rcode: number, w: Writer, aa = false): Buffer {
  return encodeMessage(
    {
      id: ctx.id,
      flags: replyFlags(ctx, aa),
      rcode: rcode & 0xf,
      question: ctx.question,
      answer: [],
      authority: [],
      additional: [],
      opt: opt(ctx, rcode),
    },
    ctx.limit,
    w,
  );
}

/** FORMERR for a packet we could not parse: just the header, ID and opcode echoed (RFC 1035 §4.1.1). */
export function formerrFromHeader(buf: Uint8Array): Buffer | null {
  if (buf.length < HEADER_SIZE || (buf[2]! & 0x80) !== 0) return null;
  const out = Buffer.alloc(HEADER_SIZE);
  out[0] = buf[0]!;
  out[1] = buf[1]!;
  out[2] = 0x80 | (buf[2]! & 0x79);
  out[3] = 1;
  return out;
}
