// Structured logging (pino). One root logger built by main.ts; modules take a child.
import { pino } from 'pino';

export type Logger = pino.Logger;

export interface LoggerOptions {
  level: string;
  pretty?: boolean;
}

export function createLogger(options: LoggerOptions): Logger {
  return pino({ level: options.level, base: undefined });
}

/** A logger that drops everything, for tests that do not inspect logs. */
export const silentLogger: Logger = pino({ level: 'silent' });
