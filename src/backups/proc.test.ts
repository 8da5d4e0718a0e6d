// A restore client that exits at its own end marker, before the producer's EOF: the bytes it took
// are not a failure, zero padding after them is not either, and real data left unread is.
import { once } from 'node:events';
import { PassThrough } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { describe, expect, it } from 'vitest';
import { consumerInput, startChild, withOutputBuffer } from './proc.js';

/** `head -c 100` reads its 100 bytes and exits without waiting for EOF, like tar after its end. */
async function feedAfterExit(extra: Buffer) {
  const client = startChild({ cmd: 'head', args: ['-c', '100'] });
  client.stdout.resume();
  const source = new PassThrough();
  const input = consumerInput(client.stdin, client.name);
  const fed = pipeline(source, input.sink).then(
    () => null,
    (e: Error) => e,
  );
  source.write(Buffer.alloc(100, 0x61));
  await once(client.proc, 'exit');
  // Node destroys a child's stdin when the child exits; only now does the producer end.
  if (extra.length) source.write(extra);
  source.end();
  const [error, exit] = await Promise.all([fed, client.done]);
  return { error, exit, left: input.undelivered() };
}

describe('consumerInput', () => {
  it('treats a consumer that exits before EOF, having read everything, as a success', async () => {
    const r = await feedAfterExit(Buffer.alloc(0));
    expect(r.exit.code).toBe(0);
    expect(r.error).toBeNull();
    expect(r.left).toEqual({ bytes: 0, nonZero: false });
  });

  it('counts zero padding the consumer never read, without failing', async () => {
    const r = await feedAfterExit(Buffer.alloc(9216));
    expect(r.error).toBeNull();
    expect(r.left).toEqual({ bytes: 9216, nonZero: false });
  });

  it('fails when real data was left unread', async () => {
    const r = await feedAfterExit(Buffer.from('INSERT INTO t VALUES (1);\n'));
    expect(r.error?.message).toBe('head stopped reading before the end');
    expect(r.left.nonZero).toBe(true);
  });

  it('delivers a stream larger than the socket buffers to a consumer that reads it all', async () => {
    const client = startChild({ cmd: 'wc', args: ['-c'] });
    let out = '';
    client.stdout.on('data', (c: Buffer) => (out += c.toString()));
    const input = consumerInput(client.stdin, client.name);
    const source = new PassThrough();
    const fed = pipeline(source, input.sink);
    for (let i = 0; i < 64; i++) source.write(Buffer.alloc(64 * 1024, i));
    source.end();
    await fed;
    await client.done;
    expect(out.trim()).toBe(String(64 * 64 * 1024));
    expect(input.undelivered().bytes).toBe(0);
  });
});

describe('withOutputBuffer', () => {
  it('runs the tool under stdbuf with its own name, and the bytes are unchanged', async () => {
    const command = withOutputBuffer({ cmd: 'printf', args: ['%s\\n', 'a', 'b'] }, 'stdbuf');
    expect(command.cmd).toMatch(/stdbuf$/);
    expect(command.name).toBe('printf');
    expect(command.args.slice(0, 3)).toEqual(['-o', '1M', 'printf']);
    const child = startChild(command, { stdin: 'ignore' });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    expect((await child.done).code).toBe(0);
    expect(out).toBe('a\nb\n');
    expect(child.name).toBe('printf');
  });

  it('leaves the command as it is when stdbuf is not installed', () => {
    const command = { cmd: 'mariadb-dump', args: ['--all-databases'] };
    expect(withOutputBuffer(command, 'no-such-stdbuf')).toBe(command);
  });
});
