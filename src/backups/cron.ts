// Five-field cron schedules (minute hour day-of-month month day-of-week), evaluated in UTC:
// parse once, then find the latest slot at or before a time and the first one after it.
import { ValidationError } from '../core/errors.js';

export interface Cron {
  readonly text: string;
  minutes: ReadonlySet<number>;
  hours: ReadonlySet<number>;
  days: ReadonlySet<number>;
  months: ReadonlySet<number>;
  weekdays: ReadonlySet<number>;
  /** Both day fields restricted: a day matches if either does (Vixie cron's rule). */
  eitherDay: boolean;
  daysRestricted: boolean;
  weekdaysRestricted: boolean;
}

const macros: Record<string, string> = {
  '@hourly': '0 * * * *',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@weekly': '0 0 * * 0',
  '@monthly': '0 0 1 * *',
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
};
const monthNames = 'jan feb mar apr may jun jul aug sep oct nov dec'.split(' ');
const dayNames = 'sun mon tue wed thu fri sat'.split(' ');

function parseField(
  text: string,
  what: string,
  min: number,
  max: number,
  names: string[] = [],
  nameBase = 0,
): Set<number> {
  const out = new Set<number>();
  const value = (s: string): number => {
    const i = names.indexOf(s.toLowerCase());
    const n = i >= 0 ? i + nameBase : /^\d+$/.test(s) ? Number(s) : NaN;
    if (!Number.isInteger(n) || n < min || n > max)
      throw new ValidationError(`${what}: "${s}" is not between ${min} and ${max}`);
    return n;
  };
  for (const part of text.split(',')) {
    const [range = '', stepText] = part.split('/');
    const step = stepText === undefined ? 1 : Number(stepText);
    if (!Number.isInteger(step) || step < 1)
      throw new ValidationError(`${what}: bad step in "${part}"`);
    let lo: number;
    let hi: number;
    if (range === '*') [lo, hi] = [min, max];
    else if (range.includes('-')) {
      const [a = '', b = ''] = range.split('-');
      [lo, hi] = [value(a), value(b)];
      if (lo > hi) throw new ValidationError(`${what}: range "${range}" runs backwards`);
    } else {
      lo = value(range);
      hi = stepText === undefined ? lo : max;
    }
    for (let v = lo; v <= hi; v += step) out.add(v);
  }
  return out;
}

/** Parse `m h dom mon dow` (numbers, names, `*`, lists, ranges, steps) or a macro like `@daily`. */
export function parseCron(input: string): Cron {
  const text = input.trim().replace(/\s+/g, ' ');
  const fields = (macros[text.toLowerCase()] ?? text).split(' ');
  if (fields.length !== 5)
    throw new ValidationError(
      `A schedule has five fields (minute hour day month weekday), not ${fields.length}: "${input}"`,
    );
  const [m = '', h = '', dom = '', mon = '', dow = ''] = fields;
  const weekdays = parseField(dow, 'day of week', 0, 7, dayNames);
  if (weekdays.delete(7)) weekdays.add(0); // 7 is Sunday too
  const daysRestricted = !dom.startsWith('*');
  const weekdaysRestricted = !dow.startsWith('*');
  return {
    text,
    minutes: parseField(m, 'minute', 0, 59),
    hours: parseField(h, 'hour', 0, 23),
    days: parseField(dom, 'day of month', 1, 31),
    months: parseField(mon, 'month', 1, 12, monthNames, 1),
    weekdays,
    eitherDay: daysRestricted && weekdaysRestricted,
    daysRestricted,
    weekdaysRestricted,
  };
}

function dayMatches(cron: Cron, d: Date): boolean {
  if (!cron.months.has(d.getUTCMonth() + 1)) return false;
  const dom = cron.days.has(d.getUTCDate());
  const dow = cron.weekdays.has(d.getUTCDay());
  if (cron.eitherDay) return dom || dow;
  return (!cron.daysRestricted || dom) && (!cron.weekdaysRestricted || dow);
}

const DAY = 86_400_000;
const sorted = (s: ReadonlySet<number>) => [...s].sort((a, b) => a - b);
// A schedule that matches no real day (30 February) would search forever; 8 years covers leap cycles.
const horizonDays = 8 * 366;

/** The latest slot at or before `at` (ms), or null when the schedule never fires. */
export function previousSlot(cron: Cron, at: number): number | null {
  const hours = sorted(cron.hours).reverse();
  const minutes = sorted(cron.minutes).reverse();
  const start = Math.floor(at / DAY) * DAY;
  for (let i = 0; i < horizonDays; i++) {
    const day = start - i * DAY;
    if (!dayMatches(cron, new Date(day))) continue;
    for (const h of hours)
      for (const m of minutes) {
        const t = day + h * 3_600_000 + m * 60_000;
        if (t <= at) return t;
      }
  }
  return null;
}

/** The first slot strictly after `at` (ms), or null when the schedule never fires. */
export function nextSlot(cron: Cron, at: number): number | null {
  const hours = sorted(cron.hours);
  const minutes = sorted(cron.minutes);
  const start = Math.floor(at / DAY) * DAY;
  for (let i = 0; i < horizonDays; i++) {
    const day = start + i * DAY;
    if (!dayMatches(cron, new Date(day))) continue;
    for (const h of hours)
      for (const m of minutes) {
        const t = day + h * 3_600_000 + m * 60_000;
        if (t > at) return t;
      }
  }
  return null;
}

/** Does the text parse? For forms: the problem in words, or null. */
export function cronProblem(text: string): string | null {
  try {
    parseCron(text);
    return null;
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
}
