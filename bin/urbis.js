#!/usr/bin/env node
// The `urbis` command: runs the TypeScript CLI through tsx (a runtime
// dependency), so that `npm ci` is all the set-up it needs.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('./urbis-cli.ts');
process.exitCode = await main(process.argv.slice(2));
