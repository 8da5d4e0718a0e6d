import { describe, expect, it } from 'vitest';
import { readCredentials } from './credentials.js';

describe('API credentials', () => {
  it('strips the newline acme.sh puts after the secret', () => {
    // echo "keyid:secret" | base64
    expect(readCredentials('Basic a2V5aWQ6c2VjcmV0Cg==')).toEqual({
      kind: 'basic',
      id: 'keyid',
      secret: 'secret',
    });
  });

  it('keeps colons inside the secret', () => {
    const header = `Basic ${Buffer.from('id:se:cret').toString('base64')}`;
    expect(readCredentials(header)).toEqual({ kind: 'basic', id: 'id', secret: 'se:cret' });
  });

  it('reads bearer tokens case-insensitively', () => {
    expect(readCredentials('bearer abc.def')).toEqual({ kind: 'bearer', token: 'abc.def' });
  });

  it.each([undefined, ''])('sees no credentials in %j', (h) => {
    expect(readCredentials(h).kind).toBe('none');
  });

  it.each(['Basic', 'Basic !!!', 'Digest x', `Basic ${Buffer.from('nocolon').toString('base64')}`])(
    'calls %j malformed',
    (h) => {
      expect(readCredentials(h).kind).toBe('malformed');
    },
  );
});
