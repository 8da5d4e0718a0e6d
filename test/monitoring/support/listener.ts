// A plain IRC client of our own that sits in the channel and records what the bot says.
import type { Socket } from 'node:net';
import { connect } from 'node:net';

export interface Heard {
  at: number;
  nick: string;
  command: string;
  text: string;
}

export interface Listener {
  /** NOTICEs and PRIVMSGs to the channel, in arrival order. */
  heard: Heard[];
  /** QUIT lines of anyone who left, e.g. `monbot: Excess Flood`. */
  quits: string[];
  /** Texts from one nick. */
  from(nick: string): string[];
  say(text: string): void;
  waitFor(pred: (h: Heard[]) => boolean, timeoutMs?: number, what?: string): Promise<void>;
  close(): void;
}

/** Connect, register, join `channel`; resolves once joined. */
export function listen(port: number, channel: string, nick = 'watcher'): Promise<Listener> {
  return new Promise((resolve, reject) => {
    const sock: Socket = connect(port, '127.0.0.1');
    const heard: Heard[] = [];
    const quits: string[] = [];
    let buf = '';
    const waiters = new Set<() => void>();
    const send = (line: string) => sock.write(`${line}\r\n`);
    const self: Listener = {
      heard,
      quits,
      from: (n) =>
        heard.filter((h) => h.nick.toLowerCase().startsWith(n.toLowerCase())).map((h) => h.text),
      say: (text) => send(`PRIVMSG ${channel} :${text}`),
      waitFor(pred, timeoutMs = 20_000, what = 'condition') {
        if (pred(heard)) return Promise.resolve();
        return new Promise((ok, fail) => {
          const check = () => {
            if (!pred(heard)) return;
            clearTimeout(timer);
            waiters.delete(check);
            ok();
          };
          const timer = setTimeout(() => {
            waiters.delete(check);
            fail(
              new Error(
                `timed out waiting for ${what}; heard:\n${heard.map((h) => `<${h.nick}> ${h.text}`).join('\n')}`,
              ),
            );
          }, timeoutMs);
          waiters.add(check);
        });
      },
      close: () => {
        send('QUIT :bye');
        sock.end();
      },
    };
    sock.setEncoding('utf8');
    sock.on('error', reject);
    sock.on('data', (chunk: string) => {
      buf += chunk;
      for (let nl = buf.indexOf('\r\n'); nl >= 0; nl = buf.indexOf('\r\n')) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 2);
        const m = /^(?::(\S+) )?(\S+)(?: (.*))?$/.exec(line);
        if (!m) continue;
        const [, prefix = '', command = '', rest = ''] = m;
        const who = prefix.split('!')[0] ?? '';
        const trailing = rest.includes(' :')
          ? rest.slice(rest.indexOf(' :') + 2)
          : rest.replace(/^:/, '');
        if (command === 'PING') send(`PONG :${trailing}`);
        else if (command === '001') send(`JOIN ${channel}`);
        else if (command === '366') resolve(self);
        else if (command === 'QUIT') quits.push(`${who}: ${trailing}`);
        else if (
          (command === 'PRIVMSG' || command === 'NOTICE') &&
          rest.toLowerCase().startsWith(channel.toLowerCase())
        ) {
          heard.push({ at: Date.now(), nick: who, command, text: trailing });
          waiters.forEach((w) => w());
        }
      }
    });
    send(`NICK ${nick}`);
    send(`USER ${nick} 0 * :listener`);
  });
}
