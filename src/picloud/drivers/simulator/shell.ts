// The built-in shell of a simulated Pi: a few POSIX-ish commands confined to the Pi's layered root.
import { posix } from 'node:path';
import type { Entry, LayeredFs } from './layered-fs.js';
import { FsError } from './layered-fs.js';
import { ParseError, parseLine, type Command } from './shell-parse.js';

/** What the shell knows about the Pi it runs on. */
export interface ShellDeps {
  fs: LayeredFs;
  user: { name: string; uid: number; gid: number; home: string };
  /** `uname` fields: kernel release and machine (e.g. aarch64) depend on model and image. */
  kernel: { release: string; version: string; machine: string };
  /** Seconds since the Pi finished booting. */
  uptimeSeconds(): number;
  /** 1-minute load average, for `uptime`. */
  load(): number;
  now(): number;
}

export interface RunResult {
  stdout: string;
  stderr: string;
  code: number;
  /** Set by `exit`: the session should close with this code. */
  exit?: number;
}

type Io = { stdin: string; out: string[]; err: string[] };
type Builtin = (args: string[], io: Io) => Promise<number>;

export const builtinNames = [
  'cat',
  'cd',
  'echo',
  'exit',
  'false',
  'help',
  'hostname',
  'id',
  'ls',
  'mkdir',
  'pwd',
  'rm',
  'rmdir',
  'touch',
  'true',
  'uname',
  'uptime',
  'whoami',
] as const;

const fsMessage = (e: unknown): string => (e instanceof FsError ? e.message : String(e));
const errText = (e: unknown): string =>
  e instanceof FsError ? (e.message.split(': ').pop() ?? e.code) : String(e);

/** Split `-abc` style flags from operands (`--` ends flags). */
function flags(args: string[]): { set: Set<string>; rest: string[] } {
  const set = new Set<string>();
  let i = 0;
  for (; i < args.length && /^-[A-Za-z]+$/.test(args[i]!); i++)
    for (const f of args[i]!.slice(1)) set.add(f);
  if (args[i] === '--') i++;
  return { set, rest: args.slice(i) };
}

function modeString(e: Entry): string {
  const t = e.type === 'dir' ? 'd' : e.type === 'symlink' ? 'l' : '-';
  const bits = 'rwxrwxrwx'.split('').map((c, i) => (e.mode & (0o400 >> i) ? c : '-'));
  return t + bits.join('');
}

/** A shell session: keeps its working directory and `$?` between lines. */
export function createShell(deps: ShellDeps) {
  const { fs, user } = deps;
  let cwd = user.home;
  let status = 0;
  const abs = (p: string) => posix.resolve(cwd, p);
  const isRoot = user.uid === 0;

  /** Non-root users may write only in their home and /tmp, and may not read root's files. */
  async function allowed(path: string, access: 'read' | 'write'): Promise<void> {
    if (isRoot) return;
    const real = await fs.realpath(abs(path)).catch(() => abs(path));
    const under = (dir: string) => real === dir || real.startsWith(`${dir}/`);
    const ok =
      access === 'write'
        ? under(user.home) || under('/tmp')
        : !under('/root') && real !== '/etc/shadow';
    if (!ok) throw new FsError('EACCES', path);
  }

  async function write(path: string, data: string, append: boolean): Promise<void> {
    if (path === '/dev/null') return;
    await allowed(path, 'write');
    await fs.writeFile(abs(path), data, { append });
    if (!isRoot) await fs.chown(abs(path), user.uid, user.gid);
  }

  const hostname = async () =>
    (await fs.readFile('/etc/hostname').catch(() => Buffer.from('raspberrypi')))
      .toString()
      .split('\n')[0]!
      .trim();

  const commands: Record<(typeof builtinNames)[number], Builtin> = {
    async cat(args, io) {
      if (args.length === 0) io.out.push(io.stdin);
      let code = 0;
      for (const a of args) {
        try {
          await allowed(a, 'read');
          io.out.push((await fs.readFile(abs(a))).toString());
        } catch (e) {
          io.err.push(`cat: ${a}: ${errText(e)}\n`);
          code = 1;
        }
      }
      return code;
    },
    async cd(args, io) {
      const target = abs(args[0] ?? user.home);
      const st = await fs.stat(target);
      if (!st || st.type !== 'dir') {
        io.err.push(`sh: cd: can't cd to ${args[0]}\n`);
        return 2;
      }
      cwd = st.path;
      return 0;
    },
    async echo(args, io) {
      const n = args[0] === '-n';
      io.out.push((n ? args.slice(1) : args).join(' ') + (n ? '' : '\n'));
      return 0;
    },
    exit: async () => 0,
    false: async () => 1,
    true: async () => 0,
    async help(_args, io) {
      io.out.push(`Built-in commands: ${builtinNames.join(' ')}\n`);
      return 0;
    },
    async hostname(_args, io) {
      io.out.push(`${await hostname()}\n`);
      return 0;
    },
    async id(_args, io) {
      const n = `${user.uid}(${user.name})`;
      io.out.push(`uid=${n} gid=${user.gid}(${user.name}) groups=${user.gid}(${user.name})\n`);
      return 0;
    },
    async whoami(_args, io) {
      io.out.push(`${user.name}\n`);
      return 0;
    },
    async pwd(_args, io) {
      io.out.push(`${cwd}\n`);
      return 0;
    },
    async ls(args, io) {
      const { set, rest } = flags(args);
      let code = 0;
      const targets = rest.length > 0 ? rest : ['.'];
      for (const t of targets) {
        try {
          await allowed(t, 'read');
          const st = await fs.stat(abs(t));
          if (!st) throw new FsError('ENOENT', t);
          const list = st.type === 'dir' ? await fs.readdir(st.path) : [{ ...st, path: t }];
          if (targets.length > 1 && st.type === 'dir') io.out.push(`${t}:\n`);
          for (const e of list) {
            const name = st.type === 'dir' ? posix.basename(e.path) : t;
            if (!set.has('a') && name.startsWith('.')) continue;
            if (!set.has('l')) io.out.push(`${name}\n`);
            else {
              const when = new Date(e.mtimeMs).toUTCString().slice(5, 22);
              io.out.push(
                `${modeString(e)} 1 ${e.uid} ${e.gid} ${String(e.size).padStart(6)} ${when} ${name}\n`,
              );
            }
          }
        } catch (e) {
          io.err.push(`ls: cannot access '${t}': ${errText(e)}\n`);
          code = 2;
        }
      }
      return code;
    },
    async mkdir(args, io) {
      const { set, rest } = flags(args);
      let code = 0;
      for (const d of rest) {
        try {
          await allowed(d, 'write');
          await fs.mkdir(abs(d), { parents: set.has('p') });
          if (!isRoot) await fs.chown(abs(d), user.uid, user.gid);
        } catch (e) {
          io.err.push(`mkdir: cannot create directory '${d}': ${errText(e)}\n`);
          code = 1;
        }
      }
      return code;
    },
    async rm(args, io) {
      const { set, rest } = flags(args);
      const recursive = set.has('r') || set.has('R');
      let code = 0;
      for (const p of rest) {
        try {
          await allowed(p, 'write');
          await fs.rm(abs(p), { recursive });
        } catch (e) {
          if (set.has('f') && e instanceof FsError && e.code === 'ENOENT') continue;
          io.err.push(`rm: cannot remove '${p}': ${errText(e)}\n`);
          code = 1;
        }
      }
      return code;
    },
    async rmdir(args, io) {
      let code = 0;
      for (const p of args) {
        try {
          await allowed(p, 'write');
          await fs.rm(abs(p), { dirOnly: true });
        } catch (e) {
          io.err.push(`rmdir: failed to remove '${p}': ${errText(e)}\n`);
          code = 1;
        }
      }
      return code;
    },
    async touch(args, io) {
      let code = 0;
      for (const p of args) {
        try {
          await write(p, '', true);
        } catch (e) {
          io.err.push(`touch: cannot touch '${p}': ${errText(e)}\n`);
          code = 1;
        }
      }
      return code;
    },
    async uname(args, io) {
      const { set } = flags(args);
      const k = deps.kernel;
      const all = set.has('a');
      const fields: [string, string][] = [
        ['s', 'Linux'],
        ['n', await hostname()],
        ['r', k.release],
        ['v', k.version],
        ['m', k.machine],
        ['o', 'GNU/Linux'],
      ];
      const picked = fields.filter(([f]) => all || set.has(f)).map(([, v]) => v);
      io.out.push(`${picked.length > 0 ? picked.join(' ') : 'Linux'}\n`);
      return 0;
    },
    async uptime(_args, io) {
      const s = Math.floor(deps.uptimeSeconds());
      const clock = new Date(deps.now()).toISOString().slice(11, 19);
      const up =
        s < 3600
          ? `${Math.floor(s / 60)} min`
          : `${Math.floor(s / 3600)}:${String(Math.floor(s / 60) % 60).padStart(2, '0')}`;
      const l = deps.load().toFixed(2);
      io.out.push(` ${clock} up ${up},  1 user,  load average: ${l}, ${l}, ${l}\n`);
      return 0;
    },
  };

  async function runCommand(
    cmd: Command,
    stdin: string,
  ): Promise<{ out: string; err: string; code: number }> {
    const io: Io = { stdin, out: [], err: [] };
    let code: number;
    try {
      for (const r of cmd.redirects.filter((r) => r.fd === 0)) {
        await allowed(r.target, 'read');
        io.stdin = (await fs.readFile(abs(r.target))).toString();
      }
      const [name = '', ...args] = cmd.argv;
      const fn = name === '' ? commands.true : (commands as Record<string, Builtin>)[name];
      if (!fn) {
        io.err.push(`sh: 1: ${name}: not found\n`);
        code = 127;
      } else code = await fn(args, io);
      for (const r of cmd.redirects.filter((r) => r.fd !== 0)) {
        const data = r.fd === 1 ? io.out.splice(0).join('') : io.err.splice(0).join('');
        await write(r.target, data, r.append);
      }
    } catch (e) {
      io.err.push(`sh: 1: ${fsMessage(e)}\n`);
      code = 2;
    }
    return { out: io.out.join(''), err: io.err.join(''), code };
  }

  return {
    cwd: () => cwd,
    hostname,
    /** Run one command line, as `sh -c` would. */
    async run(line: string): Promise<RunResult> {
      const vars = { HOME: user.home, USER: user.name, PWD: cwd, '?': String(status) };
      const result: RunResult = { stdout: '', stderr: '', code: 0 };
      let list;
      try {
        list = parseLine(line, vars);
      } catch (e) {
        if (!(e instanceof ParseError)) throw e;
        return { stdout: '', stderr: `sh: 1: ${e.message}\n`, code: 2 };
      }
      for (const { op, pipeline } of list) {
        if ((op === '&&' && status !== 0) || (op === '||' && status === 0)) continue;
        let stdin = '';
        for (const cmd of pipeline) {
          const before = status;
          const r = await runCommand(cmd, stdin);
          stdin = r.out;
          result.stderr += r.err;
          status = r.code;
          if (cmd.argv[0] === 'exit') result.exit = Number(cmd.argv[1] ?? before) || 0;
        }
        result.stdout += stdin;
        if (result.exit !== undefined) break;
      }
      result.code = result.exit ?? status;
      return result;
    },
  };
}
