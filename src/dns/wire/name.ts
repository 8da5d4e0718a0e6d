// Domain names between presentation text and uncompressed wire form (RFC 1035 §3.1, §5.1).
// Text names are absolute ("www.example.org.", root "."); the canonical key is lower-case ASCII
// (RFC 4343) with only '.', '\\' and non-printable bytes escaped, so one name has one key.
import { MAX_LABEL, MAX_NAME_WIRE } from './constants.js';
import { WireError } from './errors.js';

const BACKSLASH = 0x5c;
const DOT = 0x2e;

/** Encode a presentation-format name (escapes allowed, trailing dot optional) as uncompressed wire bytes. */
export function nameToWire(text: string): Uint8Array {
  if (text === '.' || text === '') return new Uint8Array([0]);
  const out: number[] = [];
  let label: number[] = [];
  const flush = (): void => {
    if (label.length === 0) throw new WireError(`empty label in ${JSON.stringify(text)}`);
    if (label.length > MAX_LABEL) throw new WireError(`label longer than 63 octets in ${text}`);
    out.push(label.length, ...label);
    label = [];
  };
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === BACKSLASH) {
      const d = text.slice(i + 1, i + 4);
      if (/^[0-9]{3}$/.test(d)) {
        const v = Number(d);
        if (v > 255) throw new WireError(`bad escape \\${d}`);
        label.push(v);
        i += 3;
      } else if (i + 1 < text.length) {
        label.push(text.charCodeAt(i + 1) & 0xff);
        i += 1;
      } else throw new WireError('dangling backslash');
    } else if (c === DOT) {
      flush();
    } else {
      if (c > 0xff) throw new WireError('non-ASCII name; use its A-label');
      label.push(c);
    }
  }
  if (label.length > 0) flush();
  out.push(0);
  if (out.length > MAX_NAME_WIRE) throw new WireError('name longer than 255 octets');
  return Uint8Array.from(out);
}

const needsEscape = (b: number): boolean => b === DOT || b === BACKSLASH || b < 0x21 || b > 0x7e;

/** Decode uncompressed wire bytes at `off` to text; lower-cases when asked (canonical key form). */
export function wireToName(buf: Uint8Array, off = 0, lower = false): string {
  let s = '';
  for (;;) {
    const len = buf[off];
    if (len === undefined) throw new WireError('name runs past the end');
    if (len === 0) break;
    if (len > MAX_LABEL) throw new WireError('compression pointer where none is allowed');
    for (let i = off + 1; i <= off + len; i++) {
      let b = buf[i];
      if (b === undefined) throw new WireError('label runs past the end');
      if (lower && b >= 0x41 && b <= 0x5a) b += 0x20;
      if (needsEscape(b))
        s +=
          b === DOT || b === BACKSLASH
            ? '\\' + String.fromCharCode(b)
            : '\\' + String(b).padStart(3, '0');
      else s += String.fromCharCode(b);
    }
    s += '.';
    off += len + 1;
  }
  return s === '' ? '.' : s;
}

/** The canonical key of any spelling of a name: absolute, lower-case, minimal escapes. */
export const canonicalName = (text: string): string => wireToName(nameToWire(text), 0, true);

/** Lower-case copy of wire name bytes (labels are ASCII-folded, length octets kept). */
export function lowerWire(wire: Uint8Array): Uint8Array {
  const out = Uint8Array.from(wire);
  lowerWireInPlace(out, 0);
  return out;
}

/** Lower-case an uncompressed wire name in place; returns the offset after it. */
export function lowerWireInPlace(buf: Uint8Array, off: number): number {
  for (;;) {
    const len = buf[off] ?? 0;
    if (len === 0) return off + 1;
    for (let i = off + 1; i <= off + len; i++) {
      const b = buf[i]!;
      if (b >= 0x41 && b <= 0x5a) buf[i] = b + 0x20;
    }
    off += len + 1;
  }
}

/** The parent of a canonical text name ("a.b." -> "b.", "b." -> "."), respecting escaped dots. */
export function parentName(name: string): string {
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    if (c === BACKSLASH) i++;
    else if (c === DOT) return i + 1 >= name.length ? '.' : name.slice(i + 1);
  }
  return '.';
}

/** Number of labels of a canonical text name (root has 0). */
export function labelCount(name: string): number {
  if (name === '.') return 0;
  let n = 0;
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    if (c === BACKSLASH) i++;
    else if (c === DOT) n++;
  }
  return n;
}

/** True when `name` equals `zone` or lies below it (both canonical). */
export function isInZone(name: string, zone: string): boolean {
  if (zone === '.') return true;
  if (name.length < zone.length || !name.endsWith(zone)) return false;
  if (name.length === zone.length) return true;
  // The character before the suffix must be an unescaped label separator.
  let i = name.length - zone.length - 1;
  if (name.charCodeAt(i) !== DOT) return false;
  let slashes = 0;
  while (--i >= 0 && name.charCodeAt(i) === BACKSLASH) slashes++;
  return slashes % 2 === 0;
}
