// The operator CLI (`npx bestiary <command>`), built on the same buildApp as the server.
import { parseArgs } from 'node:util';
import { loadConfig } from '../config.js';
import { cliActor } from '../core/actor.js';
import { isAppError } from '../core/errors.js';
import { newSecret } from '../core/ids.js';
import { silentLogger } from '../core/logger.js';
import { buildApp } from '../main.js';
import { describeGrant, parseGrant } from '../accounts/index.js';
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
    // `pi` parses its own options.
    args: command === 'pi' ? [] : rest,
    allowPositionals: true,
    options: {
      email: { type: 'string' },
      password: { type: 'string' },
      name: { type: 'string' },
      account: { type: 'string' },
      scope: { type: 'string', multiple: true },
      label: { type: 'string' },
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

if (import.meta.url === `file://${process.argv[1]}` || process.argv[1]?.endsWith('/cli.ts')) {
  process.exitCode = await runCli(process.argv.slice(2));
}
