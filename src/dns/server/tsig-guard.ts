// TSIG on the server side: find the key, verify a request, build the error replies of RFC 8945
// §5.2 and sign replies (one, or a stream of them for zone transfers, §5.3.1).
import type { Clock } from '../../core/clock.js';
import { Rcode } from '../wire/constants.js';
import type { ParsedMessage } from '../wire/reader.js';
import { signMessage, verifyMessage, type TsigKey } from '../wire/tsig.js';
import type { TsigKeyEntry, ZoneProvider } from './types.js';

/** A verified request's signing state: how to sign the replies. */
export interface TsigSession {
  key: TsigKeyEntry;
  /** The MAC to chain the next signed reply to. */
  priorMac: Uint8Array;
  /** True after the first reply: later ones in a stream cover only the timers. */
  streaming: boolean;
}

export type TsigOutcome = { ok: true; session?: TsigSession } | { ok: false; reply: Buffer | null };

const nowSeconds = (clock: Clock): number => Math.floor(clock.now() / 1000);

/** True when the key may act on `apex`. */
export const keyAllows = (key: TsigKeyEntry, apex: string): boolean =>
  key.zones === '*' || key.zones.some((z) => z.toLowerCase().replace(/\.?$/, '.') === apex);

/**
 * Verify the request's TSIG, if any. On failure the reply is NOTAUTH carrying the TSIG error,
 * unsigned for BADKEY/BADSIG/BADTRUNC and signed for BADTIME (RFC 8945 §5.2).
 */
export async function checkTsig(
  msg: Buffer,
  parsed: ParsedMessage,
  provider: ZoneProvider,
  clock: Clock,
  errorReply: (rcode: number) => Buffer,
): Promise<TsigOutcome> {
  if (!parsed.tsig) return { ok: true };
  const keyName = parsed.tsig.record.name;
  const key = await provider.getTsigKey?.(keyName);
  const now = nowSeconds(clock);
  const v = verifyMessage(msg, parsed.tsig.record, parsed.tsig.offset, key, { now });
  if (v.error === 0 && key)
    return { ok: true, session: { key, priorMac: v.tsig.mac, streaming: false } };
  if (v.error === Rcode.FORMERR) return { ok: false, reply: errorReply(Rcode.FORMERR) };
  const base = errorReply(Rcode.NOTAUTH);
  const signingKey: TsigKey = key ?? {
    name: keyName,
    algorithm: v.tsig.algorithm,
    secret: new Uint8Array(0),
  };
  if (v.error === Rcode.BADTIME && key) {
    const other = Buffer.alloc(6);
    other.writeUIntBE(now, 0, 6);
    return {
      ok: false,
      reply: signMessage(base, key, {
        now: v.tsig.timeSigned,
        fudge: v.tsig.fudge,
        priorMac: v.tsig.mac,
        error: v.error,
        other,
      }).bytes,
    };
  }
  return {
    ok: false,
    reply: signMessage(base, signingKey, {
      now,
      fudge: v.tsig.fudge,
      error: v.error,
      unsigned: true,
    }).bytes,
  };
}

/** Sign one reply of a session (the first covers everything, later ones only the timers). */
export function signReply(bytes: Buffer, session: TsigSession | undefined, clock: Clock): Buffer {
  if (!session) return bytes;
  const { bytes: signed, mac } = signMessage(bytes, session.key, {
    now: nowSeconds(clock),
    priorMac: session.priorMac,
    timersOnly: session.streaming,
  });
  session.priorMac = mac;
  session.streaming = true;
  return signed;
}
