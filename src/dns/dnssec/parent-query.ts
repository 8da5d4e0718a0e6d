// Asking the parent side for a zone's DS RRset with our own wire codec: UDP first, TCP when the
// reply is truncated (RFC 7766 §5), one server after another until one answers.
import { randomInt } from 'node:crypto';
import { createSocket } from 'node:dgram';
import { connect } from 'node:net';
import { isIPv6 } from 'node:net';
import { Flag, RRType } from '../wire/constants.js';
import { canonicalName } from '../wire/name.js';
import { parseMessage, type ParsedMessage } from '../wire/reader.js';
import { encodeQuery } from '../wire/writer.js';
import { dsText } from './keys.js';

export interface DsAnswer {
  /** DS records at the parent, presentation form ("<tag> <alg> <digest type> <HEX>"). */
  ds: string[];
  /** The DS RRset's TTL as served (null when there is none). */
  ttl: number | null;
  /** Which server answered. */
  server: string;
}

export interface ServerAddress {
  host: string;
  port: number;
}

/** "192.0.2.1", "192.0.2.1:5300", "[2001:db8::1]:53" or "2001:db8::1". */
export function parseServer(text: string): ServerAddress {
  const m = /^\[([^\]]+)\](?::(\d+))?$/.exec(text) ?? /^([^:]+)(?::(\d+))?$/.exec(text);
  if (m) return { host: m[1]!, port: m[2] ? Number(m[2]) : 53 };
  return { host: text, port: 53 };
}

function query(name: string, id: number): Buffer {
  // RD so that a recursive resolver will fetch the DS; DO so the records come as signed.
  return encodeQuery({
    id,
    name,
    type: RRType.DS,
    flags: Flag.RD,
    opt: { udpSize: 1232, extRcode: 0, version: 0, do: true },
  });
}

function overUdp(s: ServerAddress, packet: Buffer, id: number, timeoutMs: number) {
  return new Promise<ParsedMessage>((resolve, reject) => {
    const socket = createSocket(isIPv6(s.host) ? 'udp6' : 'udp4');
    const timer = setTimeout(() => finish(new Error('timed out')), timeoutMs);
    const finish = (err: Error | null, msg?: ParsedMessage) => {
      clearTimeout(timer);
      socket.close();
      if (err) reject(err);
      else resolve(msg!);
    };
    socket.on('error', (err) => finish(err));
    socket.on('message', (buf, rinfo) => {
      if (rinfo.port !== s.port) return;
      try {
        const msg = parseMessage(buf);
        if (msg.id === id && msg.flags & Flag.QR) finish(null, msg);
      } catch {
        // not an answer to us: keep waiting
      }
    });
    socket.send(packet, s.port, s.host);
  });
}

function overTcp(s: ServerAddress, packet: Buffer, timeoutMs: number) {
  return new Promise<ParsedMessage>((resolve, reject) => {
    const socket = connect({ host: s.host, port: s.port });
    let data = Buffer.alloc(0);
    socket.setTimeout(timeoutMs, () => socket.destroy(new Error('timed out')));
    socket.on('error', reject);
    socket.on('connect', () => {
      const len = Buffer.alloc(2);
      len.writeUInt16BE(packet.length);
      socket.write(Buffer.concat([len, packet]));
    });
    socket.on('data', (chunk: Buffer) => {
      data = Buffer.concat([data, chunk]);
      if (data.length >= 2 && data.length >= 2 + data.readUInt16BE(0)) {
        socket.end();
        try {
          resolve(parseMessage(data.subarray(2, 2 + data.readUInt16BE(0))));
        } catch (err) {
          reject(err instanceof Error ? err : new Error(String(err)));
        }
      }
    });
  });
}

/** The DS RRset of `zone` as the first of `servers` that answers sees it. */
export async function queryDs(
  servers: readonly string[],
  zone: string,
  timeoutMs = 2000,
): Promise<DsAnswer> {
  const name = canonicalName(zone.endsWith('.') ? zone : `${zone}.`);
  const problems: string[] = [];
  for (const text of servers) {
    const server = parseServer(text);
    const id = randomInt(0, 65536);
    const packet = query(name, id);
    try {
      let msg = await overUdp(server, packet, id, timeoutMs);
      if (msg.flags & Flag.TC) msg = await overTcp(server, packet, timeoutMs);
      // NOERROR (with or without DS) and NXDOMAIN are answers; SERVFAIL, REFUSED are not.
      if (msg.rcode !== 0 && msg.rcode !== 3) {
        problems.push(`${text}: rcode ${msg.rcode}`);
        continue;
      }
      const ds = msg.answers.filter((r) => r.type === RRType.DS && r.name === name);
      // DS is parent-side data (RFC 4035 §3.1.4.1): a "no DS" whose SOA is the zone's own came
      // from a server of the zone itself, which cannot know what the parent holds.
      if (ds.length === 0 && msg.authority.some((r) => r.type === RRType.SOA && r.name === name)) {
        problems.push(`${text}: answered from ${name} itself, not its parent`);
        continue;
      }
      return {
        ds: ds.map((r) => dsText(r.rdata)),
        ttl: ds.length ? Math.min(...ds.map((r) => r.ttl)) : null,
        server: text,
      };
    } catch (err) {
      problems.push(`${text}: ${(err as Error).message}`);
    }
  }
  throw new Error(
    servers.length ? `no parent server answered (${problems.join('; ')})` : 'no parent servers',
  );
}
