// The slow path: every message the fast query path does not take (TSIG, transfers, UPDATE,
// NOTIFY, odd opcodes, malformed packets), fully parsed and dispatched by opcode.
import type { Clock } from '../../core/clock.js';
import type { Logger } from '../../core/logger.js';
import {
  EDNS_MAX_PAYLOAD,
  Flag,
  Opcode,
  Rcode,
  RRType,
  UDP_CLASSIC_LIMIT,
} from '../wire/constants.js';
import { parseMessage, type ParsedMessage } from '../wire/reader.js';
import { createWriter } from '../wire/writer.js';
import { encodeEmpty, formerrFromHeader, type ReplyContext } from './encode.js';
import type { Engine } from './engine.js';
import type { Journal } from './journal.js';
import type { ServerMetrics } from './metrics.js';
import type { AnswerSigner } from './signer.js';
import { serveTransfer } from './transfer.js';
import { checkTsig, signReply, type TsigSession } from './tsig-guard.js';
import type { TransferRule, UpdateHandler, ZoneProvider } from './types.js';
import { decideUpdate } from './update.js';
import type { ZoneTable } from './zone-table.js';

/** Where a message came from and how to answer it. */
export interface Transport {
  tcp: boolean;
  address: string;
  port: number;
  send(bytes: Buffer): void;
  /** Resolves when the connection can take more data (transfers stream many messages). */
  drain(): Promise<void>;
}

export interface HandlerDeps {
  engine: Engine;
  table: ZoneTable;
  provider: ZoneProvider;
  journal: Journal;
  transferRules: readonly TransferRule[];
  clock: Clock;
  metrics: ServerMetrics;
  logger: Logger;
  signer?: AnswerSigner;
  onUpdate?: UpdateHandler;
}

export type SlowPath = (msg: Buffer, t: Transport) => Promise<void>;

function contextOf(m: ParsedMessage, t: Transport): ReplyContext {
  const q = m.questions.length === 1 ? m.questions[0] : undefined;
  const limit = t.tcp
    ? 65535
    : m.edns
      ? Math.min(Math.max(m.edns.udpSize, UDP_CLASSIC_LIMIT), EDNS_MAX_PAYLOAD)
      : UDP_CLASSIC_LIMIT;
  return {
    id: m.id,
    queryFlags: m.flags,
    opcode: m.opcode,
    question: q && { wire: q.wire, type: q.type, class: q.class },
    edns: m.edns && { do: m.edns.do },
    limit,
  };
}

export function createSlowPath(deps: HandlerDeps): SlowPath {
  const w = createWriter();
  let updates: Promise<unknown> = Promise.resolve();

  async function query(
    m: ParsedMessage,
    ctx: ReplyContext,
    t: Transport,
    session: TsigSession | undefined,
  ): Promise<number> {
    const q = m.questions[0]!;
    if (q.type === RRType.AXFR || q.type === RRType.IXFR) {
      const send = (b: Buffer): void => t.send(b);
      const rcode = await serveTransfer(
        {
          msg: m,
          question: q,
          source: t.address,
          tcp: t.tcp,
          session,
          send,
          drain: () => t.drain(),
        },
        deps,
      );
      if (rcode !== null) t.send(signReply(encodeEmpty(ctx, rcode, w), session, deps.clock));
      return rcode ?? Rcode.NOERROR;
    }
    const r = deps.engine.answer(
      ctx,
      { name: q.name, wire: q.wire, type: q.type, dnssecOk: m.edns?.do ?? false, tcp: t.tcp },
      q.class,
      0,
    );
    t.send(signReply(r.bytes, session, deps.clock));
    return r.rcode;
  }

  async function update(
    m: ParsedMessage,
    ctx: ReplyContext,
    t: Transport,
    session: TsigSession | undefined,
  ): Promise<number> {
    const run = updates.then(() => decideUpdate(m, session, t.address, deps));
    updates = run.catch(() => undefined);
    let rcode: number;
    try {
      rcode = await run;
    } catch (err) {
      deps.metrics.crash();
      deps.logger.error({ err }, 'dns: UPDATE handler threw; replied SERVFAIL');
      rcode = Rcode.SERVFAIL;
    }
    t.send(signReply(encodeEmpty(ctx, rcode, w), session, deps.clock));
    return rcode;
  }

  async function dispatch(msg: Buffer, t: Transport): Promise<void> {
    const started = performance.now();
    let m: ParsedMessage;
    try {
      m = parseMessage(msg);
    } catch {
      deps.metrics.malformed();
      const reply = formerrFromHeader(msg);
      if (reply) t.send(reply);
      return;
    }
    if ((m.flags & Flag.QR) !== 0) return;
    const ctx = contextOf(m, t);
    const qtype = m.questions[0]?.type ?? 0;
    const done = (rcode: number): void =>
      deps.metrics.query(qtype, rcode, performance.now() - started);
    const reply = (rcode: number): void => {
      t.send(encodeEmpty(ctx, rcode, w));
      done(rcode);
    };
    if (m.opcode !== Opcode.QUERY && m.opcode !== Opcode.NOTIFY && m.opcode !== Opcode.UPDATE)
      return reply(Rcode.NOTIMP);
    // RFC 6891 §6.1.3 before anything else; RFC 1035 §4.1.2 / RFC 9619: exactly one question.
    if (m.edns && m.edns.version > 0) return reply(Rcode.BADVERS);
    if (m.questions.length !== 1) return reply(Rcode.FORMERR);
    const tsig = await checkTsig(msg, m, deps.provider, deps.clock, (rcode) =>
      encodeEmpty(ctx, rcode, w),
    );
    if (!tsig.ok) {
      if (tsig.reply) t.send(tsig.reply);
      return done(Rcode.NOTAUTH);
    }
    const session = tsig.session;
    if (m.opcode === Opcode.QUERY) return done(await query(m, ctx, t, session));
    if (m.opcode === Opcode.UPDATE) return done(await update(m, ctx, t, session));
    // NOTIFY to a primary: we hold the master copy, so there is nothing to refresh.
    t.send(signReply(encodeEmpty(ctx, Rcode.REFUSED, w), session, deps.clock));
    return done(Rcode.REFUSED);
  }

  return async (msg, t) => {
    try {
      await dispatch(msg, t);
    } catch (err) {
      deps.metrics.crash();
      deps.logger.error({ err }, 'dns: handling a message threw');
      const id = msg.length >= 12 ? msg : null;
      if (id && (msg[2]! & 0x80) === 0) {
        const out = Buffer.from(msg.subarray(0, 12));
        out[2] = 0x80 | (msg[2]! & 0x79);
        out[3] = Rcode.SERVFAIL;
        out.fill(0, 4, 12);
        t.send(out);
      }
    }
  };
}
