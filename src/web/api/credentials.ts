// Reading API credentials from an Authorization header, with the reference clients' quirks:
// acme.sh base64-encodes "id:secret\n", so a trailing CR/LF is stripped (apis.md §1.3).

export type Credentials =
  | { kind: 'basic'; id: string; secret: string }
  | { kind: 'bearer'; token: string }
  | { kind: 'none' }
  | { kind: 'malformed' };

export function parseBasic(encoded: string): { id: string; secret: string } | null {
  let decoded: string;
  try {
    decoded = Buffer.from(encoded.trim(), 'base64').toString('utf8');
  } catch {
    return null;
  }
  decoded = decoded.replace(/[\r\n]+$/, '');
  const colon = decoded.indexOf(':');
  if (colon <= 0) return null;
  return { id: decoded.slice(0, colon).trim(), secret: decoded.slice(colon + 1) };
}

export function readCredentials(header: string | undefined): Credentials {
  if (!header) return { kind: 'none' };
  const space = header.indexOf(' ');
  const scheme = (space < 0 ? header : header.slice(0, space)).toLowerCase();
  const value = space < 0 ? '' : header.slice(space + 1).trim();
  if (scheme === 'bearer' && value) return { kind: 'bearer', token: value };
  if (scheme === 'basic') {
    const parsed = parseBasic(value);
    return parsed ? { kind: 'basic', ...parsed } : { kind: 'malformed' };
  }
  return { kind: 'malformed' };
}
