// The door without sockets: snapshots in, answers out, as the API's `?verify` will use it.
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../core/logger.js';
import { Rcode, RRType } from '../wire/constants.js';
import { createDnsServer } from './index.js';
import { buildZone } from './testing/zone-builder.js';

function setup() {
  const server = createDnsServer({ logger: silentLogger }, { port: 0 });
  server.replaceZone(
    buildZone(
      'example.org.',
      [
        ['*.wild', 'TXT', 'hello'],
        ['www', 'A', '192.0.2.1'],
      ],
      { serial: 5 },
    ),
  );
  return { server };
}

describe('the DNS server door', () => {
  it('answers a wildcard with the asked name as owner', () => {
    const { server } = setup();
    const r = server.lookup('X.Wild.example.org', RRType.TXT);
    expect(r.rcode).toBe(Rcode.NOERROR);
    expect(r.answer).toMatchObject([{ name: 'x.wild.example.org.', type: RRType.TXT, ttl: 3600 }]);
  });

  it('reports the serial it serves and stops serving a removed zone', () => {
    const { server } = setup();
    expect(server.servedSerial('Example.org')).toBe(5);
    server.removeZone('example.org.');
    expect(server.servedSerial('example.org.')).toBeUndefined();
    expect(server.lookup('www.example.org.', RRType.A).rcode).toBe(Rcode.REFUSED);
  });

  it('rejects a snapshot with a record outside its zone and keeps serving the old one', () => {
    const { server } = setup();
    const bad = buildZone('example.org.', [['www.example.com.', 'A', '192.0.2.9']], { serial: 6 });
    expect(() => server.replaceZone(bad)).toThrow(/outside zone/);
    expect(server.servedSerial('example.org.')).toBe(5);
  });
});
