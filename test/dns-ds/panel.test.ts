// The record form offers DS with its own fields; a DS without NS comes back with the reason and
// the input kept, and one beside the delegation's NS is added.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { World } from '../dns-panel/setup.js';
import { linesOf, setup, textOf } from '../dns-panel/setup.js';

const digest = 'ab'.repeat(32);
const dsForm = {
  host: 'child',
  type: 'DS',
  ttl: '3600',
  data: digest.toUpperCase(),
  ds_key_tag: '2371',
  ds_algorithm: '13',
  ds_digest_type: '2',
};

describe('DNS panel: DS records', () => {
  let w: World;
  beforeAll(async () => {
    w = await setup();
    await w.zone('example.org');
  });
  afterAll(() => w.t.close());

  it('offers DS in the type list with key tag, algorithm and digest type fields', async () => {
    const html = (await w.client.get('/dns/example.org')).text;
    expect(html).toMatch(/<option[^>]*value="DS"/);
    expect(html).toContain('name="ds_key_tag"');
    expect(html).toContain('name="ds_algorithm"');
    expect(html).toContain('name="ds_digest_type"');
  });

  it('explains that a DS needs NS at the same name, and keeps what was typed', async () => {
    const reply = await w.post('/dns/example.org/records', dsForm);
    expect(reply.status).toBe(400);
    expect(textOf(reply.text)).toContain(
      'DS at child.example.org. needs NS records at the same name',
    );
    expect(reply.text).toContain(digest.toUpperCase());
    expect(linesOf(await w.records('example.org')).join('\n')).not.toContain(' DS ');
  });

  it('adds a DS beside the NS of a delegation, digest in lower case', async () => {
    const ns = await w.post('/dns/example.org/records', {
      host: 'child',
      type: 'NS',
      ttl: '3600',
      data: 'ns1.child-host.example.',
    });
    expect(ns.status).toBe(303);
    const reply = await w.post('/dns/example.org/records', dsForm);
    expect(reply.status, textOf(reply.text).slice(0, 300)).toBe(303);
    expect(linesOf(await w.records('example.org'))).toContain(`child 3600 DS 2371 13 2 ${digest}`);
  });
});
