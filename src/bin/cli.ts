// The operator CLI (`npx bestiary <command>`), built on the same buildApp as the server.
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { loadConfig } from '../config.js';
import { cliActor } from '../core/actor.js';
import { isAppError } from '../core/errors.js';
import { newSecret } from '../core/ids.js';
import { silentLogger } from '../core/logger.js';
import { buildApp } from '../main.js';
import { describeGrant, parseGrant } from '../accounts/index.js';
import { backupUsage, runBackupCli } from '../backups/index.js';
import { everything, fullAccess } from '../dns/index.js';
import { piUsage, runPiCli } from '../picloud/index.js';

const usage = `Usage: bestiary <command> [options]

Commands:
  migrate                              Bring the database schema up to date.
  create-admin --email EMAIL [--password PW]
                                       Create an administrator (a password is generated if omitted).
  create-account --email EMAIL [--password PW] [--name NAME]
                                       Create a customer account.
  api-key create --account EMAIL --scope SCOPE [--scope SCOPE …] [--label LABEL]
                                       Create an API key and print its id and secret.
                                       SCOPE is api[:ro|:rw][:zones=a,b][:hosts=x,y][:types=TXT,A],
                                       e.g. dns:rw:zones=example.com:hosts=_acme-challenge:types=TXT
${piUsage}
${backupUsage}
  zone add --account EMAIL NAME        Add a DNS-only zone for an account.
  zone import --account EMAIL NAME FILE [--replace]
                                       Import a master file (RFC 1035) into the account's zone:
                                       add its records, or with --replace make the account's own
                                       records those of the file (template records stay).
  zone export NAME [--classic]         Print a zone as text/dns, or classic with $ORIGIN.
  zone list [--account EMAIL]          List zones (of one account): name, kind, serial, owner.
  zone dnssec NAME                     DNSSEC of a zone: status at the parent, the DS, steps under way.
  zone dnssec-stop-signing-now NAME    Operator override: stop signing at once, skipping the safe
                                       turn-off (a DS still at the parent breaks the zone for
                                       validating resolvers until it is removed).
  help                                 Show this text.

Configuration comes from the same environment variables and BESTIARY_CONFIG file as the server.
`;

type Out = (line: string) => void;

/** Run one CLI command; returns the process exit code. Exported for tests. */
export async function runCli(
  argv: string[],
  out: Out = (l) => process.stdout.write(`${l}\n`),
  err: Out = (l) => process.stderr.write(`${l}\n`),
): Promise<number> {
  const [command, ...rest] = argv;
  if (!command || command === 'help' || command === '--help') {
    out(usage);
    return command ? 0 : 2;
  }
  const { values, positionals } = parseArgs({
    // `pi` and `backup` parse their own options.
    args: command === 'pi' || command === 'backup' ? [] : rest,
    allowPositionals: true,
    options: {
      email: { type: 'string' },
      password: { type: 'string' },
      name: { type: 'string' },
      account: { type: 'string' },
      scope: { type: 'string', multiple: true },
      label: { type: 'string' },
      replace: { type: 'boolean' },
      classic: { type: 'boolean' },
    },
  });
  const app = buildApp(loadConfig(), { logger: silentLogger });
  try {
    await app.migrate();
    switch (command) {
      case 'migrate':
        out('Database is up to date.');
        return 0;
      case 'create-admin':
      case 'create-account': {
        if (!values.email) throw new Error('--email is required');
        const password = values.password ?? newSecret(15);
        const account = await app.accounts.accounts.createAccount(
          {
            email: values.email,
            password,
            name: values.name ?? '',
            role: command === 'create-admin' ? 'admin' : 'customer',
            mustChange: !values.password,
          },
          cliActor,
        );
        out(`Created ${account.role} ${account.email} (${account.id}).`);
        if (!values.password)
          out(`One-time password (must be changed at first login): ${password}`);
        return 0;
      }
      case 'api-key': {
        if (positionals[0] !== 'create')
          throw new Error('Usage: bestiary api-key create --account EMAIL --scope SCOPE');
        if (!values.account) throw new Error('--account is required');
        if (!values.scope?.length) throw new Error('--scope is required, e.g. --scope dns:rw');
        const account = await app.accounts.accounts.findByEmail(values.account);
        if (!account) throw new Error(`No account with the email ${values.account}`);
        const scope = values.scope.map(parseGrant);
        const { key, secret } = await app.accounts.apiKeys.create(
          account.id,
          { label: values.label ?? 'Created with the CLI', scope },
          cliActor,
        );
        out(`key id: ${key.id}`);
        out(`secret: ${secret}`);
        for (const g of key.scope) out(`access: ${describeGrant(g)}`);
        return 0;
      }
      case 'pi':
        return await runPiCli(app.picloud.fleet, rest, out);
      case 'backup':
        return await runBackupCli(app.backups, rest, out, async (email) => {
          const account = await app.accounts.accounts.findByEmail(email);
          if (!account) throw new Error(`No account with the email ${email}`);
          return account.id;
        });
      case 'zone':
        return await zoneCommand(app, positionals, values, out);
      default:
        err(`Unknown command "${command}".\n\n${usage}`);
        return 2;
    }
  } catch (e) {
    err(`Error: ${e instanceof Error ? e.message : String(e)}`);
    if (isAppError(e)) for (const d of e.details) err(`  ${d}`);
    return 1;
  } finally {
    await app.close();
  }
}

type CliApp = ReturnType<typeof buildApp>;

/** `zone add|import|export|list`: the panel's zone operations for operators. */
async function zoneCommand(
  app: CliApp,
  [sub, name, file]: string[],
  values: { account?: string; replace?: boolean; classic?: boolean },
  out: Out,
): Promise<number> {
  const accountOf = async () => {
    if (!values.account) throw new Error('--account is required');
    const account = await app.accounts.accounts.findByEmail(values.account);
    if (!account) throw new Error(`No account with the email ${values.account}`);
    return account;
  };
  const access = (accountId: string) => fullAccess(accountId, cliActor);
  switch (sub ?? '') {
    case 'add': {
      if (!name) throw new Error('Usage: bestiary zone add --account EMAIL NAME');
      const account = await accountOf();
      const zone = await app.dns.zones.create(account.id, name, 'dns-only', cliActor);
      out(`Added ${zone.name} for ${account.email} (serial ${zone.serial}).`);
      return 0;
    }
    case 'import': {
      if (!name || !file)
        throw new Error('Usage: bestiary zone import --account EMAIL NAME FILE [--replace]');
      const account = await accountOf();
      const zone = await app.dns.zones.find(access(account.id), name);
      const text = new TextDecoder('utf-8', { fatal: true }).decode(await readFile(file));
      const mode = values.replace ? 'replace' : 'add';
      const r = await app.dns.records.importZone(access(account.id), zone, text, mode);
      out(
        `Imported ${file} into ${zone.name}: ${r.added} added, ${r.removed} removed, ` +
          `${r.unchangedLines.length} unchanged (serial ${r.serial}).`,
      );
      for (const w of r.warnings) out(`warning: ${w}`);
      return 0;
    }
    case 'export': {
      if (!name) throw new Error('Usage: bestiary zone export NAME [--classic]');
      const zone = await app.dns.zones.named(name);
      const style = values.classic ? 'classic' : 'api';
      const text = await app.dns.records.exportZone(
        access(zone.account_id),
        zone,
        everything,
        style,
      );
      out(text.replace(/\n$/, ''));
      return 0;
    }
    case 'list': {
      const zones = values.account
        ? await app.dns.zones.list(access((await accountOf()).id))
        : await app.dns.zones.all();
      for (const z of zones) {
        const owner = (await app.accounts.accounts.get(z.account_id))?.email ?? z.account_id;
        out(`${z.name}\t${z.kind}\t${z.serial}\t${owner}`);
      }
      return 0;
    }
    case 'dnssec': {
      if (!name) throw new Error('Usage: bestiary zone dnssec NAME');
      const zone = await app.dns.zones.named(name);
      const view = await app.dns.dnssecParent(zone);
      out(`status\t${view.status}${view.checkedAt ? ` (checked ${view.checkedAt})` : ''}`);
      for (const k of await app.dns.dnssecKeys(zone)) if (k.ds) out(`ds\t${k.ds}\t${k.state}`);
      for (const ds of view.parentDs) out(`parent-ds\t${ds}`);
      if (view.turnOff) out(`turn-off\tstep ${view.turnOff.step} ${view.turnOff.name}`);
      if (view.kskRollover) out(`ksk-rollover\t${view.kskRollover.stage} ${view.kskRollover.ds}`);
      return 0;
    }
    case 'dnssec-stop-signing-now': {
      if (!name) throw new Error('Usage: bestiary zone dnssec-stop-signing-now NAME');
      const zone = await app.dns.zones.named(name);
      await app.dns.setDnssec(zone, false);
      out(`${zone.name} is no longer signed (the safe turn-off was skipped).`);
      return 0;
    }
    default:
      throw new Error('Usage: bestiary zone add|import|export|list|dnssec … (see bestiary help)');
  }
}

if (import.meta.url === `file://${process.argv[1]}` || process.argv[1]?.endsWith('/cli.ts')) {
  process.exitCode = await runCli(process.argv.slice(2));
}
