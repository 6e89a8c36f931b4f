#!/usr/bin/env node
// The published entry point: the compiled CLI, built by `npm ci` (prepare) or `npm run build`.
import { main } from '../dist/src/main/cli.js';

process.exitCode = await main(process.argv.slice(2));
