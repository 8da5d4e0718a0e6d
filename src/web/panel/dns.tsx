// The DNS area of the panel: zones, records, CAA, "who may issue?", zone files and TSIG keys.
// TSIG keys come first: "tsig" is never a zone name, but the order makes that plain.
import { Hono } from 'hono';
import type { WebEnv } from '../context.js';
import { dnsCaaRoutes } from './dns-caa.js';
import { dnsDnssecRoutes } from './dns-dnssec.js';
import { dnsFileRoutes } from './dns-files.js';
import { dnsIssueRoutes } from './dns-issue.js';
import { dnsRecordRoutes } from './dns-records.js';
import { dnsTsigRoutes } from './dns-tsig.js';
import { dnsZoneRoutes } from './dns-zones.js';
import type { PanelDeps } from './deps.js';

export function dnsRoutes(deps: PanelDeps) {
  const app = new Hono<WebEnv>();
  app.route('/', dnsTsigRoutes(deps));
  app.route('/', dnsZoneRoutes(deps));
  app.route('/', dnsRecordRoutes(deps));
  app.route('/', dnsCaaRoutes(deps));
  app.route('/', dnsDnssecRoutes(deps));
  app.route('/', dnsIssueRoutes(deps));
  app.route('/', dnsFileRoutes(deps));
  return app;
}
