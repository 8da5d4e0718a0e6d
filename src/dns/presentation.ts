// Presentation-format text (RFC 1035 §5.1): tokens, parentheses, comments, quoted strings, escapes.
import { ValidationError } from '../core/errors.js';

/** One field of presentation text. `text` keeps its backslash escapes; `quoted` says it was in "…". */
export interface Token {
  readonly text: string;
  readonly quoted: boolean;
  readonly line: number;
}

/** One logical entry of a master file (parentheses joined), with the line it starts on. */
export interface Entry {
  readonly tokens: Token[];
  readonly line: number;
  /** True when the entry began with blank space: RFC 1035 §5.1 says the owner is then omitted. */
  readonly indented: boolean;
}

const fail = (line: number, message: string): never => {
  throw new ValidationError(`line ${line}: ${message}`, [`line ${line}: ${message}`]);
};

const isBlank = (c: string): boolean => c === ' ' || c === '\t' || c === '\r';
const ends = (c: string): boolean => isBlank(c) || c === '\n' || ';()"'.includes(c);

/** Reads a quoted string starting at the opening quote; returns its raw contents and the next index. */
function readQuoted(text: string, start: number, line: number): [string, number] {
  let i = start + 1;
  while (i < text.length && text[i] !== '"') {
    if (text[i] === '\n') fail(line, 'quoted string is not closed before the end of the line');
    i += text[i] === '\\' ? 2 : 1;
  }
  if (i >= text.length) fail(line, 'quoted string is not closed');
  return [text.slice(start + 1, i), i + 1];
}

/** Reads an unquoted word (escapes such as `\;` or `\ ` stay inside it); returns it and the next index. */
function readWord(text: string, start: number, line: number): [string, number] {
  let i = start;
  while (i < text.length && !ends(text[i] ?? '')) {
    if (text[i] === '\\') {
      if (i + 1 >= text.length || text[i + 1] === '\n') fail(line, 'a backslash ends the line');
      i += 2;
    } else i += 1;
  }
  return [text.slice(start, i), i];
}

/**
 * Splits master-file text into entries: comments dropped, parenthesised groups joined across
 * lines, quoted strings kept whole. Throws ValidationError naming the line on bad structure.
 */
export function tokenize(text: string): Entry[] {
  const entries: Entry[] = [];
  let tokens: Token[] = [];
  let entryLine = 1;
  let indented = false;
  let line = 1;
  let lineStart = 0;
  let depth = 0;
  let openedAt = 0;
  const finish = (): void => {
    if (tokens.length > 0) entries.push({ tokens, line: entryLine, indented });
    tokens = [];
  };
  const push = (raw: string, quoted: boolean, at: number): void => {
    if (tokens.length === 0) {
      entryLine = line;
      indented = at > lineStart;
    }
    tokens.push({ text: raw, quoted, line });
  };
  let i = 0;
  while (i < text.length) {
    const c = text[i] ?? '';
    if (isBlank(c)) i += 1;
    else if (c === ';') while (i < text.length && text[i] !== '\n') i += 1;
    else if (c === '\n') {
      if (depth === 0) finish();
      line += 1;
      i += 1;
      lineStart = i;
    } else if (c === '(') {
      if (depth === 0) openedAt = line;
      depth += 1;
      i += 1;
    } else if (c === ')') {
      if (depth === 0) fail(line, 'closing parenthesis without an opening one');
      depth -= 1;
      i += 1;
    } else if (c === '"') {
      const [raw, next] = readQuoted(text, i, line);
      push(raw, true, i);
      i = next;
    } else {
      const [raw, next] = readWord(text, i, line);
      push(raw, false, i);
      i = next;
    }
  }
  if (depth > 0) fail(openedAt, 'parenthesis opened here is never closed');
  finish();
  return entries;
}

/** Tokens of a single piece of RDATA text (as typed in an API or panel field). */
export function tokenizeRdata(text: string): Token[] {
  return tokenize(text).flatMap((e) => e.tokens);
}

const encoder = new TextEncoder();

/** Decodes a character-string token's escapes (`\"`, `\\`, `\DDD`) into octets; text is UTF-8. */
export function unescapeBytes(raw: string): Uint8Array {
  const out: number[] = [];
  let plain = '';
  const flush = (): void => {
    if (plain) out.push(...encoder.encode(plain));
    plain = '';
  };
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i] ?? '';
    if (c !== '\\') {
      plain += c;
      continue;
    }
    flush();
    const digits = raw.slice(i + 1, i + 4);
    if (/^[0-9]{3}$/.test(digits)) {
      const value = Number(digits);
      if (value > 255) throw new ValidationError(`escape \\${digits} is above \\255`);
      out.push(value);
      i += 3;
    } else if (/^[0-9]/.test(digits)) {
      throw new ValidationError(`escape \\${digits} needs exactly three decimal digits`);
    } else if (i + 1 >= raw.length) {
      throw new ValidationError('text ends with a lone backslash');
    } else {
      const cp = raw.codePointAt(i + 1) ?? 0;
      plain += String.fromCodePoint(cp);
      i += cp > 0xffff ? 2 : 1;
    }
  }
  flush();
  return Uint8Array.from(out);
}

/** Prints octets as a quoted character-string: `"` and `\` escaped, non-printable octets as `\DDD`. */
export function quoteBytes(bytes: Uint8Array): string {
  let out = '"';
  for (const b of bytes) {
    if (b === 0x22 || b === 0x5c) out += '\\' + String.fromCharCode(b);
    else if (b >= 0x20 && b <= 0x7e) out += String.fromCharCode(b);
    else out += '\\' + String(b).padStart(3, '0');
  }
  return out + '"';
}
