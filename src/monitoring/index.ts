// Monitoring: owns checks and their owners, state and alerts, time series, notifiers (IRC, email,
// webhooks), the checks file and automatic checks. createMonitoringModule is the product; the
// engine (createMonitoring) stays usable alone. See docs/benchmarks-monitoring.md for its costs.
import type { Monitoring } from './monitor.js';
import { createMonitoring } from './monitor.js';

export { createMonitoring };
export type { Monitoring };
export type { EngineDeps, EngineOptions } from './engine.js';
export type { EngineSnapshot, MonitoringPersistence, ResultBatch } from './persistence.js';
export type { AlertingOptions, GroupState } from './alerts.js';
export type { CheckState } from './state.js';
export type * from './types.js';
export { checks } from './checks/index.js';
export type {
  BeatKind,
  BeatRecord,
  Check,
  CheckRegistry,
  MetricSample,
  ProbeContext,
} from './checks/index.js';
export { formatDuration, labelOf, parseDuration, serverCheckNames } from './format.js';
export type {
  HourPoint,
  RawBlock,
  RawPoint,
  RollupDay,
  SeriesStorage,
  TimeSeries,
} from './timeseries.js';
export { memorySeriesStorage } from './timeseries.js';
export type { Notifier } from './notifiers/notifier.js';
export type { Destination, Router } from './notifiers/router.js';
export { createRouter } from './notifiers/router.js';
export type { IrcNotifier, IrcOptions } from './notifiers/irc.js';
export { createIrcNotifier } from './notifiers/irc.js';
export type { CommandHandler } from './notifiers/irc-commands.js';
export type { SendMail } from './notifiers/email.js';
export { createEmailNotifier, smtpSender } from './notifiers/email.js';
export type { WebhookFormat, WebhookOptions } from './notifiers/webhook.js';
export { createWebhookNotifier } from './notifiers/webhook.js';
export { memoryPersistence } from './persistence.js';

// The product on top of the engine: store, owners, delivery, the checks file, automatic checks.
export type { MonitoringModule, MonitoringModuleDeps } from './module.js';
export { createMonitoringModule } from './module.js';
export type { MonitoringSubscriptionDeps } from './subscriptions.js';
export { subscribeMonitoring } from './subscriptions.js';
export type { LiveServer, WatchedBackup } from './automatic.js';
export type { CheckInput } from './definitions.js';
export { checkInputSchema, checkTypes, paramsSchemas } from './definitions.js';
export type { DestinationView } from './destinations.js';
export { destinationInputSchema } from './destinations.js';
export type { ChecksFileStatus } from './checks-file.js';
export type {
  ChartData,
  ChartRange,
  CheckRowView,
  Dashboard,
  DashboardQuery,
  Uptime,
} from './views.js';
