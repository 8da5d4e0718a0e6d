// The typed registry of check types: one file per type, all behind the Check interface.
import type { Check } from './check.js';
import { dns } from './dns.js';
import { http } from './http.js';
import { metric } from './metric.js';
import { ping } from './ping.js';
import { push } from './push.js';
import { ssh } from './ssh.js';
import { tcp } from './tcp.js';
import { tls } from './tls.js';
import type { CheckType } from '../types.js';

export type CheckRegistry = { [K in CheckType]: Check<K> };

/** Every check type Bestiary knows. */
export const checks = { tcp, ssh, http, tls, ping, dns, push, metric } satisfies CheckRegistry;

export type { BeatRecord, Check, MetricSample, ProbeContext } from './check.js';
export { applyBeat, newBeatRecord } from './push.js';
export type { BeatKind } from './push.js';
