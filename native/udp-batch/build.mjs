// Build the batched UDP addon with node-gyp (run by `npm install`/`npm ci`). Never fails the
// install: without a compiler, headers or Linux, it writes the reason to build/unavailable.txt
// and the DNS server logs it at start and serves UDP through node:dgram.
/* eslint-disable no-restricted-syntax -- an install script, not app code: npm hands it node-gyp's path in the environment */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const note = join(here, 'build', 'unavailable.txt');

function unavailable(reason) {
  mkdirSync(join(here, 'build'), { recursive: true });
  writeFileSync(note, reason + '\n');
  process.stderr.write(`udp-batch: not built (${reason}); the DNS server will use node:dgram\n`);
}

/** npm's own node-gyp: npm names it in npm_config_node_gyp, else it sits beside npm-cli.js. */
function findNodeGyp() {
  const candidates = [
    process.env.npm_config_node_gyp,
    process.env.npm_execpath &&
      join(
        dirname(process.env.npm_execpath),
        '..',
        'node_modules',
        'node-gyp',
        'bin',
        'node-gyp.js',
      ),
    join(
      dirname(process.execPath),
      '..',
      'lib',
      'node_modules',
      'npm',
      'node_modules',
      'node-gyp',
      'bin',
      'node-gyp.js',
    ),
  ];
  return candidates.find((c) => c && existsSync(c));
}

function main() {
  rmSync(note, { force: true });
  if (process.platform !== 'linux')
    return unavailable(`recvmmsg needs Linux, not ${process.platform}`);
  const gyp = findNodeGyp();
  if (!gyp) return unavailable('node-gyp not found beside npm');
  // Headers installed with Node (e.g. /usr/include/node) build offline; else node-gyp downloads them.
  const prefix = join(dirname(process.execPath), '..');
  const nodedir = existsSync(join(prefix, 'include', 'node', 'node_api.h'))
    ? [`--nodedir=${prefix}`]
    : [];
  const r = spawnSync(process.execPath, [gyp, 'rebuild', '--release', ...nodedir], {
    cwd: here,
    encoding: 'utf8',
    timeout: 300_000,
  });
  if (r.status === 0 && existsSync(join(here, 'build', 'Release', 'udp_batch.node'))) {
    process.stderr.write('udp-batch: built build/Release/udp_batch.node\n');
    return;
  }
  const tail = `${r.error?.message ?? ''}\n${r.stderr ?? ''}`
    .split('\n')
    .filter((l) => /error|not found|ERR!/i.test(l))
    .slice(0, 3)
    .join(' | ');
  unavailable(`node-gyp failed (exit ${r.status}): ${tail || 'see npm install output'}`);
}

try {
  main();
} catch (err) {
  unavailable(`build script threw: ${err instanceof Error ? err.message : String(err)}`);
}
