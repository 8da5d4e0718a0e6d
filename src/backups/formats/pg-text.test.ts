// The plain-dump proof: end marker and matching \restrict/\unrestrict keys, as pg_dump and pg_dumpall write them.
import { describe, expect, it } from 'vitest';
import { provePlainTail } from './pg-text.js';

const levels = (tail: string, key: string | null) => provePlainTail(tail, key).map((p) => p.level);

describe('plain PostgreSQL dump proof', () => {
  it('accepts pg_dump and pg_dumpall endings', () => {
    expect(
      levels('--\n-- PostgreSQL database dump complete\n--\n\n\\unrestrict K1\n', 'K1'),
    ).toEqual(['INFO', 'INFO']);
    expect(
      levels('\\unrestrict K1\n\n--\n-- PostgreSQL database cluster dump complete\n--\n', 'K1'),
    ).toEqual(['INFO', 'INFO']);
  });

  it('rejects a missing \\unrestrict, a mismatched key and a missing marker', () => {
    expect(levels('--\n-- PostgreSQL database dump complete\n--\n', 'K1')).toEqual([
      'INFO',
      'ERROR',
    ]);
    expect(levels('-- PostgreSQL database dump complete\n\\unrestrict K2\n', 'K1')).toEqual([
      'INFO',
      'ERROR',
    ]);
    expect(levels('COPY public.t (a) FROM stdin;\n1\n', null)).toEqual(['ERROR']);
  });
});
