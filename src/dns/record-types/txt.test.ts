import { describe, expect, it } from 'vitest';
import { txt, splitStrings, txtText } from './txt.js';
import { tokenizeRdata } from '../presentation.js';

const ctx = { origin: 'example.org.' };
const parse = (text: string) => txt.parse(tokenizeRdata(text), ctx);

describe('TXT', () => {
  it('keeps several character-strings in one record', () => {
    const d = parse('"v=spf1" "include:_spf.example.net" "-all"');
    expect(d.strings).toHaveLength(3);
    expect(txt.format(d)).toBe('"v=spf1" "include:_spf.example.net" "-all"');
  });

  it('splits a value over 255 octets into 255-octet strings in a zone file', () => {
    const long = 'k'.repeat(600);
    const d = parse(`"${long}"`);
    expect(d.strings.map((s) => s.length)).toEqual([255, 255, 90]);
    expect(txt.format(d)).toBe(`"${'k'.repeat(255)}" "${'k'.repeat(255)}" "${'k'.repeat(90)}"`);
    const wire = txt.toWire(d);
    expect(wire.length).toBe(603);
    expect(wire[0]).toBe(255);
    expect(wire[256]).toBe(255);
    expect(wire[512]).toBe(90);
  });

  it('splits a long API value and joins it back into one data string', () => {
    const dkim = 'v=DKIM1; k=rsa; p=' + 'A'.repeat(400);
    const d = txt.fromJson({ data: dkim }, ctx);
    expect(d.strings.map((s) => s.length)).toEqual([255, 163]);
    expect(txt.toJson(d)).toEqual({ data: dkim });
  });

  it('takes API text literally: quotes and backslashes are data, not escapes', () => {
    const d = txt.fromJson({ data: 'say "hi" \\o/' }, ctx);
    expect(txt.format(d)).toBe('"say \\"hi\\" \\\\o/"');
    expect(txtText(parse(txt.format(d)))).toBe('say "hi" \\o/');
  });

  it('stores UTF-8 text as octets and prints non-ASCII octets as \\DDD', () => {
    const d = txt.fromJson({ data: 'café' }, ctx);
    expect(txt.format(d)).toBe('"caf\\195\\169"');
    expect(txtText(parse('"caf\\195\\169"'))).toBe('café');
    expect(txtText(parse('"café"'))).toBe('café');
  });

  it('allows an empty string in a zone file, but not an empty API value', () => {
    expect(parse('""').strings).toEqual([new Uint8Array()]);
    expect(() => txt.fromJson({ data: '' }, ctx)).toThrow('non-empty');
  });

  it('reads unquoted words as separate strings', () => {
    expect(txt.format(parse('hello world'))).toBe('"hello" "world"');
  });

  it('refuses values over 65535 octets', () => {
    expect(() => txt.fromJson({ data: 'x'.repeat(70000) }, ctx)).toThrow('at most 65535');
  });

  it('decodes wire data with empty strings and rejects truncated strings', () => {
    expect(txt.fromWire(Uint8Array.from([0, 1, 65])).strings).toEqual([
      new Uint8Array(),
      Uint8Array.from([65]),
    ]);
    expect(() => txt.fromWire(Uint8Array.from([5, 65]))).toThrow('shorter than its fields');
  });

  it('splits octets without dropping any', () => {
    expect(splitStrings(new Uint8Array(510)).map((s) => s.length)).toEqual([255, 255]);
    expect(splitStrings(new Uint8Array(0))).toHaveLength(1);
  });
});
