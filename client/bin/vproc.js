#!/usr/bin/env node
// Runs the TypeScript CLI from a cached bundle of its sources (cli-bundle.js), so `npx vproc` works
// without a build step and still starts in a fraction of tsx's time.
import { loadCli } from "./cli-bundle.js";

const { main } = await loadCli();
process.exitCode = await main(process.argv.slice(2));
