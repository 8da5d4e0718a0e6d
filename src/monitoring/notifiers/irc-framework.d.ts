// Local types for irc-framework 4.14 (it ships none): only the parts our IRC notifier uses.
declare module 'irc-framework' {
  import type { EventEmitter } from 'node:events';

  export interface ConnectOptions {
    host: string;
    port: number;
    nick: string;
    username?: string;
    gecos?: string;
    tls?: boolean;
    rejectUnauthorized?: boolean;
    password?: string;
    account?: { account: string; password: string } | Record<string, never>;
    sasl_mechanism?: 'PLAIN' | 'EXTERNAL';
    sasl_disconnect_on_fail?: boolean;
    client_certificate?: { private_key: string; certificate: string };
    auto_reconnect?: boolean;
    ping_interval?: number;
    ping_timeout?: number;
    message_max_length?: number;
    version?: string;
  }

  export interface MessageEvent {
    nick: string;
    ident: string;
    hostname: string;
    target: string;
    message: string;
    account?: string;
    time?: number;
  }

  export interface JoinEvent {
    nick: string;
    channel: string;
  }

  export interface KickEvent {
    kicked: string;
    channel: string;
    nick: string;
    message: string;
  }

  export class Client extends EventEmitter {
    constructor(options?: Partial<ConnectOptions>);
    user: { nick: string };
    connected: boolean;
    connect(options: ConnectOptions): void;
    quit(message?: string): void;
    join(channel: string, key?: string): void;
    part(channel: string, message?: string): void;
    say(target: string, message: string): void;
    notice(target: string, message: string): void;
    changeNick(nick: string): void;
    raw(...args: string[]): void;
    on(event: 'registered', cb: (e: { nick: string }) => void): this;
    on(event: 'join', cb: (e: JoinEvent) => void): this;
    on(event: 'kick', cb: (e: KickEvent) => void): this;
    on(event: 'privmsg' | 'notice', cb: (e: MessageEvent) => void): this;
    on(event: 'nick in use', cb: (e: { nick: string; reason: string }) => void): this;
    on(event: 'irc error', cb: (e: { error: string; reason?: string }) => void): this;
    on(event: 'sasl failed', cb: (e: { reason: string; message?: string }) => void): this;
    on(event: 'close' | 'socket close' | 'socket connected', cb: (err?: unknown) => void): this;
    on(event: string, cb: (...args: unknown[]) => void): this;
  }
}
