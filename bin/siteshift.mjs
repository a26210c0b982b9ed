#!/usr/bin/env node
// The CLI runs from the TypeScript sources through tsx so that a fresh `npm ci` needs no build
// step; the packaged app ships the esbuild bundle (dist/cli/siteshift.mjs) instead.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../cli/main.ts');
process.exitCode = await main(process.argv);
