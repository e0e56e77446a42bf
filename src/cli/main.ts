#!/usr/bin/env node
/** Entry point of the `zhsearch` command (package.json `bin`). */
import { main } from './cli.js';

process.exitCode = await main(process.argv.slice(2));
