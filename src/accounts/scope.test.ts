import { describe, expect, it } from 'vitest';
import { ValidationError } from '../core/errors.js';
import { allows, parseGrant, touchesZone } from './scope.js';

describe('API key scopes', () => {
  const acme = [parseGrant('dns:rw:zones=example.com:hosts=_acme-challenge:types=TXT')];

  it('parses the CLI form', () => {
    expect(parseGrant('pi:ro')).toEqual({ api: 'pi', write: false });
    expect(acme[0]).toEqual({
      api: 'dns',
      write: true,
      zones: ['example.com'],
      hosts: ['_acme-challenge'],
      types: ['TXT'],
    });
  });

  it.each([
    'ftp:rw',
    'dns:rw:zone=x',
    'dns:maybe',
    'pi:ro:zones=example.com',
    'domains:ro:types=A',
  ])('refuses %j', (text) => {
    expect(() => parseGrant(text)).toThrow(ValidationError);
  });

  it('allows exactly the narrowed DNS action', () => {
    expect(
      allows(acme, {
        api: 'dns',
        write: true,
        zone: 'example.com',
        host: '_acme-challenge',
        type: 'TXT',
      }),
    ).toBe(true);
    expect(
      allows(acme, {
        api: 'dns',
        write: true,
        zone: 'EXAMPLE.com.',
        host: '_ACME-challenge',
        type: 'txt',
      }),
    ).toBe(true);
  });

  it.each([
    ['another zone', { zone: 'example.org', host: '_acme-challenge', type: 'TXT' }],
    ['another host', { zone: 'example.com', host: 'www', type: 'TXT' }],
    ['another type', { zone: 'example.com', host: '_acme-challenge', type: 'A' }],
    ['a whole-zone selection', { zone: 'example.com' }],
  ])('refuses %s', (_, want) => {
    expect(allows(acme, { api: 'dns', write: true, ...want })).toBe(false);
  });

  it('keeps read-only keys read-only and APIs apart', () => {
    const ro = [parseGrant('dns:ro')];
    expect(allows(ro, { api: 'dns', write: false, zone: 'a.example' })).toBe(true);
    expect(allows(ro, { api: 'dns', write: true, zone: 'a.example' })).toBe(false);
    expect(allows(ro, { api: 'pi', write: false })).toBe(false);
  });

  it('lists a zone when any grant touches it', () => {
    expect(touchesZone(acme, 'example.com')).toBe(true);
    expect(touchesZone(acme, 'example.org')).toBe(false);
    expect(touchesZone([parseGrant('dns:ro')], 'anything.example')).toBe(true);
  });
});
