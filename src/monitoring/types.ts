// The monitoring vocabulary: check definitions, probe results and alerts, shared by every part.

/** A check's observed condition. `unknown` means the monitor itself could not tell. */
export type Status = 'up' | 'down' | 'unknown';

export type CheckType = 'tcp' | 'ssh' | 'http' | 'tls' | 'ping' | 'dns' | 'push' | 'metric';

export interface TcpParams {
  host: string;
  port: number;
}

export interface SshParams {
  host: string;
  port?: number;
  /** A regular expression the whole banner line must match, e.g. `^SSH-2\.0-OpenSSH_`. */
  pattern?: string;
}

export interface HttpParams {
  url: string;
  method?: 'GET' | 'HEAD';
  /** Accepted final status codes; by default any 2xx or 3xx. */
  statuses?: number[];
  /** Text that must appear in the body. */
  keyword?: string;
  /** Redirects to follow (0 = report the 3xx itself). Default 5. */
  maxRedirects?: number;
  /** Verify the server certificate (default true). */
  verifyTls?: boolean;
  headers?: Record<string, string>;
}

export interface TlsParams {
  host: string;
  port?: number;
  /** SNI name, if it differs from host. */
  servername?: string;
  /** Down when the certificate expires within this many days (default 14). */
  warnDays?: number;
  /** Verify the chain against the system CAs (default true). */
  verify?: boolean;
}

export interface PingParams {
  host: string;
  /** Echo requests per check (default 1). */
  count?: number;
}

export type DnsRecordType = 'A' | 'AAAA' | 'CNAME' | 'MX' | 'NS' | 'TXT' | 'SOA' | 'SRV' | 'CAA';

export interface DnsParams {
  /** Server to ask, `1.2.3.4`, `1.2.3.4:5353` or `[::1]:5353`. */
  server: string;
  name: string;
  type: DnsRecordType;
  /** The exact answer set expected (order does not matter); absent = any non-empty answer. */
  expect?: string[];
}

export interface PushParams {
  /** A beat is expected at least this often. */
  periodMs: number;
  /** Extra time allowed before a missing beat counts as down. */
  graceMs: number;
  /** A beat arriving more than this much earlier than expected is reported "too early". */
  earlyMs?: number;
  /** A run (start beat to success beat) shorter than this is reported "too fast". */
  minRunMs?: number;
}

export interface MetricParams {
  /** What is measured, for the message: `temperature`. */
  metric: string;
  unit?: string;
  /** Down when the value is above this. */
  above?: number;
  /** Down when the value is below this. */
  below?: number;
  /** Down when no value arrived for this long (default 3 intervals). */
  staleMs?: number;
}

/** Parameters per check type; the registry is typed against this map. */
export interface ParamsByType {
  tcp: TcpParams;
  ssh: SshParams;
  http: HttpParams;
  tls: TlsParams;
  ping: PingParams;
  dns: DnsParams;
  push: PushParams;
  metric: MetricParams;
}

interface CheckBase {
  id: string;
  /** Display name in the reference style, e.g. `managed pi:alpha-ssh`. */
  name: string;
  /** The bracketed reference, e.g. `1234-ssh`. */
  ref: string;
  /** Shown before `=>` in a problem line (an address); empty for web checks. */
  where?: string;
  /** Shown in brackets after the reason, e.g. `46.235.1.2 pihost:rack-3`. */
  context?: string;
  /** Owner; null for the provider's own checks. Customers only get their own alerts. */
  accountId: string | null;
  /** A check whose failure explains this one (the host a service runs on). */
  parentId?: string | null;
  intervalMs: number;
  /** Interval while a state change is being confirmed. */
  retryIntervalMs: number;
  /** Consecutive failures before the check is hard down (1 = at once). */
  downRetries: number;
  /** Consecutive successes before a down check is hard up again. */
  upRetries: number;
  timeoutMs: number;
  /** Re-announce a problem that is neither acknowledged nor fixed after this long; 0 = never. */
  renotifyMs?: number;
  /** Pause alerts while the check flaps (default true). */
  flapDetection?: boolean;
  enabled?: boolean;
}

/** A configured check: common settings plus the parameters of its type. */
export type CheckDefinition = {
  [K in CheckType]: CheckBase & { type: K; params: ParamsByType[K] };
}[CheckType];

/** What one probe found. */
export interface ProbeResult {
  status: Status;
  /** Round trip in milliseconds, where it means something. */
  latencyMs?: number;
  /** One line in the reference style: `bad banner from `1.2.3.4': …`, `Status 404 (…)`. */
  message: string;
  /** A measured value: days to certificate expiry, a temperature. */
  value?: number;
}

/** A probe result tied to its check and time, as handed to persistence. */
export interface CheckResult extends ProbeResult {
  checkId: string;
  at: number;
}

export type AlertKind = 'problem' | 'recovery' | 'reminder' | 'flap-start' | 'flap-end' | 'summary';

/** One member of a summary alert, so routing can show each customer only their own checks. */
export interface AlertMember {
  checkId: string;
  accountId: string | null;
  label: string;
}

/** Something to tell people. `line` is the finished text in the reference style. */
export interface Alert {
  id: string;
  kind: AlertKind;
  /** The check it is about; for a summary, the parent (or '' for an ungrouped burst). */
  checkId: string;
  accountId: string | null;
  /** `NAME [REF]`, the part of the line before the colon. */
  label: string;
  line: string;
  at: number;
  /** For a recovery: when the problem began, so a queued pair can say how long it lasted. */
  downSince?: number;
  members?: AlertMember[];
}
