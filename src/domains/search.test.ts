import { describe, expect, it } from 'vitest';
import { ValidationError } from '../core/errors.js';
import type { Offer } from './search.js';
import { candidatesFor, offerFor } from './search.js';

const offers: Offer[] = [
  { suffix: 'com', kind: 'registration', pricePerYear: 1200 },
  { suffix: 'uk', kind: 'registration', pricePerYear: 800 },
  { suffix: 'co.uk', kind: 'registration', pricePerYear: 800 },
  { suffix: 'students.example', kind: 'free-subdomain', pricePerYear: 0 },
];

describe('domain search candidates', () => {
  it('offers one label across every TLD and free parent', () => {
    expect(candidatesFor('Example', offers).map((c) => c.name)).toEqual([
      'example.com',
      'example.uk',
      'example.co.uk',
      'example.students.example',
    ]);
  });

  it('puts the exact name first, matching the longest suffix', () => {
    const [first] = candidatesFor('example.co.uk', offers);
    expect(first).toMatchObject({ name: 'example.co.uk', exact: true });
  });

  it('understands a free subdomain typed in full', () => {
    expect(candidatesFor('alice.students.example', offers)[0]).toMatchObject({
      name: 'alice.students.example',
      kind: 'free-subdomain',
      pricePerYear: 0,
    });
  });

  it('converts internationalised names to their ASCII form and keeps the Unicode for display', () => {
    const [first] = candidatesFor('bücher.com', offers);
    expect(first).toMatchObject({ name: 'xn--bcher-kva.com', displayName: 'bücher.com' });
  });

  it('forgives a pasted URL or a www prefix', () => {
    expect(candidatesFor('https://www.example.com', offers)[0]?.name).toBe('example.com');
  });

  it.each([
    ['', 'Type a name'],
    ['<script>alert(1)</script>', 'not a domain name'],
    ['-leading.com', 'not a domain name'],
    ['a'.repeat(64), 'not a domain name'],
    ['ab--cd', 'reserved'],
    ['deep.sub.example.com', 'single name'],
    ['"><svg/onload=alert(1)>', 'not a domain name'],
  ])('refuses %j with a clear message', (term, message) => {
    expect(() => candidatesFor(term, offers)).toThrow(ValidationError);
    expect(() => candidatesFor(term, offers)).toThrow(message);
  });

  it('finds the offer for a full name', () => {
    expect(offerFor('example.co.uk', offers)?.offer.suffix).toBe('co.uk');
    expect(offerFor('example.net', offers)).toBeUndefined();
    expect(offerFor('a.b.com', offers)).toBeUndefined();
  });
});
