#!/usr/bin/env node
// `npx bestiary …`: run the operator CLI from source through tsx.
import { register } from 'tsx/esm/api';

register();
const { runCli } = await import('../src/bin/cli.ts');
process.exitCode = await runCli(process.argv.slice(2));
