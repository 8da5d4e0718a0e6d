import { describe, expect, it } from 'vitest';
import { ValidationError } from '../core/errors.js';
import { quoteBytes, tokenize, unescapeBytes } from './presentation.js';

const texts = (text: string) => tokenize(text).map((e) => e.tokens.map((t) => t.text));

describe('tokenize', () => {
  it('splits fields and drops comments', () => {
    expect(texts('www 300 IN A 192.0.2.1 ; the web\n; only a comment\n\nmail A 192.0.2.2')).toEqual(
      [
        ['www', '300', 'IN', 'A', '192.0.2.1'],
        ['mail', 'A', '192.0.2.2'],
      ],
    );
  });

  it('joins parenthesised lines into one entry', () => {
    const entries = tokenize('@ SOA ns1 host ( 1 ; serial\n 2\n 3 4 5 )\nnext A 1.2.3.4');
    expect(entries.map((e) => [e.line, e.tokens.length])).toEqual([
      [1, 9],
      [4, 3],
    ]);
  });

  it('keeps quoted strings whole, with escapes, semicolons and parentheses inside', () => {
    const [entry] = tokenize('txt TXT "a ; b ( \\"c\\"" plain\\;word');
    expect(entry?.tokens.map((t) => [t.text, t.quoted])).toEqual([
      ['txt', false],
      ['TXT', false],
      ['a ; b ( \\"c\\"', true],
      ['plain\\;word', false],
    ]);
  });

  it('notes entries that begin with blank space (owner omitted)', () => {
    expect(tokenize('a A 1.2.3.4\n  A 5.6.7.8').map((e) => e.indented)).toEqual([false, true]);
  });

  it.each([
    ['a TXT "open\n', 'line 1: quoted string is not closed'],
    ['a TXT ( 1\n 2\n', 'line 1: parenthesis opened here is never closed'],
    ['a A 1 )', 'line 1: closing parenthesis'],
    ['x\ny TXT a\\', 'line 2: a backslash ends the line'],
  ])('reports %j with its line', (text, message) => {
    expect(() => tokenize(text)).toThrow(ValidationError);
    expect(() => tokenize(text)).toThrow(message);
  });
});

describe('character-strings', () => {
  it.each([
    ['plain', [112, 108, 97, 105, 110]],
    ['\\"\\\\', [34, 92]],
    ['\\065\\000\\255', [65, 0, 255]],
    ['\\a', [97]],
    ['é', [0xc3, 0xa9]],
  ])('unescapes %j', (raw, bytes) => {
    expect(Array.from(unescapeBytes(raw))).toEqual(bytes);
  });

  it.each(['\\256', '\\12', 'end\\'])('rejects %j', (raw) => {
    expect(() => unescapeBytes(raw)).toThrow(ValidationError);
  });

  it('quotes octets so that unescaping gives them back', () => {
    const all = Uint8Array.from({ length: 256 }, (_, i) => i);
    const quoted = quoteBytes(all);
    expect(unescapeBytes(quoted.slice(1, -1))).toEqual(all);
  });
});
