// The in-stream database renamer: exact bytes out for any chunking, sections of unmapped
// databases dropped, and kept lines passed on a chunk at a time rather than line by line.
import { Readable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { describe, expect, it } from 'vitest';
import { createDatabaseRenamer } from './rename.js';

const rows = (n: number) =>
  Array.from({ length: n }, (_, i) => `(${i},'row ${i} with a \\'quote\\'')`).join(',\n');

const dump = [
  '-- MariaDB dump 10.19\n',
  '/*!40101 SET NAMES utf8mb4 */;\n',
  '--\n-- Current Database: `mysql`\n--\n\n',
  'CREATE DATABASE /*!32312 IF NOT EXISTS*/ `mysql`;\nUSE `mysql`;\n',
  `INSERT INTO \`user\` VALUES\n${rows(50)};\n`,
  '--\n-- Current Database: `shop`\n--\n\n',
  'CREATE DATABASE /*!32312 IF NOT EXISTS*/ `shop` /*!40100 DEFAULT CHARACTER SET utf8mb4 */;\n',
  'USE `shop`;\n',
  'CREATE TABLE `orders` (`id` int NOT NULL, PRIMARY KEY (`id`));\n',
  `INSERT INTO \`orders\` VALUES\n${rows(2000)};\n`,
  '--\n-- Current Database: `we``ird`\n--\n\n',
  'CREATE DATABASE /*!32312 IF NOT EXISTS*/ `we``ird`;\nUSE `we``ird`;\n',
  `INSERT INTO \`t\` VALUES\n${rows(10)};\n`,
  '-- Dump completed on 2026-11-28  1:00:00\n',
].join('');

const expected = dump
  .slice(dump.indexOf('--\n-- Current Database: `shop`'))
  .replace('`shop` /*!40100', '`scratch_shop` /*!40100')
  .replace('USE `shop`;', 'USE `scratch_shop`;')
  .replace('IF NOT EXISTS*/ `we``ird`;', 'IF NOT EXISTS*/ `scratch_we``ird`;')
  .replace('USE `we``ird`;', 'USE `scratch_we``ird`;');
const withHeader = dump.slice(0, dump.indexOf('--\n-- Current Database: `mysql`')) + expected;

async function rename(chunkSizes: () => number) {
  const bytes = Buffer.from(dump);
  const chunks: Buffer[] = [];
  for (let at = 0; at < bytes.length;) {
    const n = Math.max(1, chunkSizes());
    chunks.push(bytes.subarray(at, at + n));
    at += n;
  }
  const out: Buffer[] = [];
  const renamer = createDatabaseRenamer({ shop: 'scratch_shop', 'we`ird': 'scratch_we`ird' });
  renamer.on('data', (c: Buffer) => out.push(c)); // each push, as the restore client sees it
  await finished(Readable.from(chunks).pipe(renamer));
  return { text: Buffer.concat(out).toString(), inputs: chunks.length, outputs: out.length };
}

describe('createDatabaseRenamer', () => {
  it('renames the mapped databases and drops the others, for any chunking', async () => {
    let seed = 7;
    const random = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
    for (const sizes of [() => 1 + Math.floor(random() * 40), () => 4096, () => 1 << 20]) {
      const r = await rename(sizes);
      expect(r.text).toBe(withHeader);
    }
  });

  it('passes kept lines on a chunk at a time, not one write per line', async () => {
    const r = await rename(() => 16384);
    expect(r.text).toBe(withHeader);
    // Rewritten lines and skipped sections break a chunk into pieces; the ~2,000 rows do not.
    expect(r.outputs).toBeLessThan(r.inputs + 16);
    expect(withHeader.split('\n').length).toBeGreaterThan(2000);
  });
});
