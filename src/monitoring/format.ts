// Text in the reference style: alert lines, durations, and hygiene for text that came off the wire.
import type { CheckDefinition } from './types.js';

/** `managed pi:alpha-ssh [12-ssh]`, the part of every line before the colon. */
export const labelOf = (def: Pick<CheckDefinition, 'name' | 'ref'>): string =>
  `${def.name} [${def.ref}]`;

/**
 * Remote text goes into chat lines, so control characters (CR/LF could inject IRC commands,
 * \x03 could recolour) become spaces and runs of whitespace collapse.
 */
export function clean(text: string): string {
  // eslint-disable-next-line no-control-regex
  const controls = /[\x00-\x1f\x7f]+/g;
  return text.replace(controls, ' ').replace(/\s+/g, ' ').trim();
}

/** The first words of `text` up to `max` characters, then ` ...` if anything was cut. */
export function excerpt(text: string, max = 48): string {
  const flat = clean(text);
  if (flat.length <= max) return flat;
  let out = '';
  for (const word of flat.split(' ')) {
    const next = out ? `${out} ${word}` : word;
    if (next.length > max) break;
    out = next;
  }
  return `${out || flat.slice(0, max)} ...`;
}

/** `NAME [REF]: WHERE => REASON [CONTEXT]`, the problem line of the issue's IRC sample. */
export function problemLine(def: CheckDefinition, message: string): string {
  const where = def.where ?? '';
  const context = def.context ? ` [${def.context}]` : '';
  return `${labelOf(def)}: ${where ? `${where} ` : ''}=> ${message}${context}`;
}

export const recoveryLine = (label: string): string => `${label}: back to normal`;

/** A problem and its recovery that never left the queue, told as one line. */
export const collapsedLine = (label: string, downMs: number): string =>
  `${label}: was down ${formatDuration(downMs)}, back to normal`;

/** `3m12s`, `2h5m`, `4d3h`, `45s`: the two largest units, no spaces. */
export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  const units: Array<[string, number]> = [
    ['d', 86_400],
    ['h', 3_600],
    ['m', 60],
    ['s', 1],
  ];
  const parts: string[] = [];
  let rest = s;
  for (const [name, size] of units) {
    if (rest >= size || (parts.length === 0 && size === 1)) {
      parts.push(`${Math.floor(rest / size)}${name}`);
      rest %= size;
    } else if (parts.length > 0) break;
    if (parts.length === 2) break;
  }
  return parts.join('');
}

/** Parse `90s`, `30m`, `2h`, `1d12h`, `1w` into milliseconds; null when it is not a duration. */
export function parseDuration(text: string): number | null {
  const unit: Record<string, number> = { s: 1e3, m: 6e4, h: 3.6e6, d: 8.64e7, w: 6.048e8 };
  const re = /(\d+)\s*([smhdw])/gy;
  const t = text.trim().toLowerCase();
  if (!t) return null;
  let total = 0;
  let pos = 0;
  for (let m = re.exec(t); m; m = re.exec(t)) {
    total += Number(m[1]) * (unit[m[2] ?? ''] ?? 0);
    pos = re.lastIndex;
  }
  return pos === t.length && total > 0 ? total : null;
}

/**
 * Cut to at most `maxBytes` of UTF-8 without splitting a character, ending in `…` when cut.
 * IRC lines are limited in bytes, not characters.
 */
export function truncateBytes(text: string, maxBytes: number): string {
  if (Buffer.byteLength(text) <= maxBytes) return text;
  let out = '';
  let bytes = 0;
  for (const ch of text) {
    const n = Buffer.byteLength(ch);
    if (bytes + n > maxBytes - 3) break;
    out += ch;
    bytes += n;
  }
  return `${out}…`;
}

/** Reference-style names for the automatic checks of a server: `managed pi:NAME-ssh [ID-ssh]`. */
export function serverCheckNames(
  kind: string,
  name: string,
  id: string,
  service: string,
): { name: string; ref: string } {
  return { name: `managed ${kind}:${name}-${service}`, ref: `${id}-${service}` };
}
