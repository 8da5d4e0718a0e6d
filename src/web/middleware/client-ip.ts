// Who is asking: the socket's address, or — only when the socket is a trusted reverse proxy —
// the nearest untrusted address in X-Forwarded-For. Anyone else's X-Forwarded-For is ignored.
import type { MiddlewareHandler } from 'hono';
import { canonicalIp, cidrContains } from '../../core/net.js';
import type { WebEnv } from '../context.js';

export function clientAddress(
  socketAddress: string,
  forwardedFor: string | undefined,
  trusted: readonly string[],
): string {
  const peer = canonicalIp(socketAddress) ?? socketAddress;
  const isTrusted = (ip: string) => trusted.some((cidr) => cidrContains(cidr, ip));
  if (!forwardedFor || !isTrusted(peer)) return peer;
  // Walk right to left: each hop appended the address it saw; stop at the first we don't trust.
  const hops = forwardedFor
    .split(',')
    .map((h) => canonicalIp(h.trim()))
    .filter((h): h is string => h !== null);
  for (let i = hops.length - 1; i >= 0; i--) {
    if (!isTrusted(hops[i]!)) return hops[i]!;
  }
  return hops[0] ?? peer;
}

export function clientIp(trustedProxies: readonly string[]): MiddlewareHandler<WebEnv> {
  return async function resolveClientIp(c, next) {
    const socketAddress = c.env?.incoming?.socket?.remoteAddress ?? '0.0.0.0';
    c.set(
      'clientIp',
      clientAddress(socketAddress, c.req.header('x-forwarded-for'), trustedProxies),
    );
    await next();
  };
}
