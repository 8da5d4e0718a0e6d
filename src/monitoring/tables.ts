// Row types of monitoring's tables (migration 2026-11-27T1600-monitoring).

export interface CheckRow {
  id: string;
  account_id: string | null;
  /** user (panel/API), auto (a server's or backup's), config (the checks file). */
  source: CheckSource;
  /** What an automatic or file check stands for: `pi:ID:ssh`, `backup:ID`, `config:KEY`. */
  origin: string | null;
  type: string;
  name: string;
  ref: string;
  /** The CheckDefinition as JSON, without its id. */
  definition: string;
  public: number;
  push_token: string | null;
  series_id: number;
  created_at: number;
  updated_at: number;
}

export type CheckSource = 'user' | 'auto' | 'config';

export interface StateRow {
  check_id: string;
  state: string | null;
  beat: string | null;
  metric: string | null;
}

export interface EngineRow {
  key: string;
  value: string;
}

export interface RawRow {
  series: number;
  hour: number;
  latency: Uint8Array;
  vals: Uint8Array | null;
}

export interface RollupRow {
  series: number;
  day: number;
  data: Uint8Array;
  vals: Uint8Array | null;
}

export interface DestinationRow {
  id: string;
  account_id: string | null;
  kind: DestinationKind;
  target: string;
  format: string | null;
  label: string;
  created_at: number;
}

export type DestinationKind = 'irc' | 'email' | 'webhook';

export interface AlertRow {
  id: string;
  check_id: string;
  account_id: string | null;
  kind: string;
  label: string;
  line: string;
  at: number;
}

export interface ActionRow {
  id: string;
  check_id: string;
  account_id: string | null;
  kind: 'acknowledge' | 'silence' | 'unsilence';
  by_name: string;
  reason: string;
  until: number | null;
  at: number;
}

export interface MonitoringTables {
  monitoring_checks: CheckRow;
  monitoring_state: StateRow;
  monitoring_engine: EngineRow;
  monitoring_raw: RawRow;
  monitoring_rollup: RollupRow;
  monitoring_destinations: DestinationRow;
  monitoring_alerts: AlertRow;
  monitoring_actions: ActionRow;
}
