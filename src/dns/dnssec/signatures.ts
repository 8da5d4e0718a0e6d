// RRSIGs with a cache: a signature is kept per (key, canonical RRset bytes) and reused until it
// nears expiry, so a one-record change re-signs only what changed (plus the SOA and the NSEC3
// records it touched). Validity windows have jitter so a zone's signatures do not all expire at once.
import { createHash } from 'node:crypto';
import { canonicalRrset, rrsigHead } from './canonical.js';

export interface ZoneKey {
  id: string;
  role: 'ksk' | 'zsk';
  algorithm: number;
  tag: number;
  dnskey: Buffer;
  /** Active keys sign; published-only keys just appear in the DNSKEY RRset (RFC 6781 §4.1). */
  active: boolean;
  /** A KSK whose DS the zone asks the parent for in CDS/CDNSKEY; default: when active. */
  cds?: boolean;
  sign(data: Uint8Array): Buffer;
}

export interface SigningPolicy {
  validityDays: number;
  jitterHours: number;
  refreshDays: number;
}

interface CachedSignature {
  rdata: Buffer;
  /** Expiration in seconds since the epoch. */
  expiration: number;
}

export type SignatureCache = Map<string, CachedSignature>;

const DAY = 86_400;

export interface Signing {
  /** RRSIG RDATA over an RRset, from the cache when still fresh. */
  sign(
    key: ZoneKey,
    owner: string,
    type: number,
    ttl: number,
    rdatas: readonly Uint8Array[],
  ): Buffer;
  /** The cache holding only the signatures used since `createSigning` (older ones are dropped). */
  cache(): SignatureCache;
  /** Milliseconds since the epoch at which the first signature used is due for renewal. */
  refreshAt(): number;
}

/** A signing session over one zone build; `previous` is the cache of the last build. */
export function createSigning(
  apex: string,
  nowMs: number,
  policy: SigningPolicy,
  previous: SignatureCache,
  random: () => number = Math.random,
): Signing {
  const now = Math.floor(nowMs / 1000);
  // Due at refreshDays before the first expiry; then every signature within the jitter window
  // of it is renewed too, so a batch whose expiries the jitter spread renews under one serial.
  const due = policy.refreshDays * DAY;
  const renewBelow = due + policy.jitterHours * 3600;
  const next: SignatureCache = new Map();
  let refreshAt = Infinity;
  return {
    sign(key, owner, type, ttl, rdatas) {
      const body = canonicalRrset(owner, type, ttl, rdatas);
      const id = `${key.id}|${createHash('sha256').update(body).digest('base64')}`;
      let sig = next.get(id) ?? previous.get(id);
      if (!sig || sig.expiration - now < renewBelow) {
        const head = rrsigHead({
          typeCovered: type,
          algorithm: key.algorithm,
          owner,
          originalTtl: ttl,
          // An hour back for clocks behind ours; the lifetime plus jitter ahead.
          inception: now - 3600,
          expiration:
            now + policy.validityDays * DAY + Math.floor(random() * policy.jitterHours * 3600),
          keyTag: key.tag,
          signer: apex,
        });
        const signature = key.sign(Buffer.concat([head, body]));
        sig = { rdata: Buffer.concat([head, signature]), expiration: head.readUInt32BE(8) };
      }
      next.set(id, sig);
      refreshAt = Math.min(refreshAt, (sig.expiration - due) * 1000);
      return sig.rdata;
    },
    cache: () => next,
    refreshAt: () => refreshAt,
  };
}
