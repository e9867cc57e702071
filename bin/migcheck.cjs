#!/usr/bin/env node
// The executable. CommonJS on purpose: Node starts it without its ESM loader, and a plain
// `check` (the per-migration gate) runs from dist/check.cjs, a bundle without yargs or any
// report code. Everything else — help, a typo, the other commands — loads the full CLI,
// dist/cli.mjs. Both are built by `npm ci` / `npm run build` (scripts/build.mjs).
'use strict';
const { join } = require('node:path');
const { pathToFileURL } = require('node:url');

// a reader that stops early (`| head`) is not an error
process.stdout.on('error', (err) => {
  if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw err;
});

const argv = process.argv.slice(2);
const io = {
  stdout: process.stdout,
  stderr: process.stderr,
  stdoutIsTTY: Boolean(process.stdout.isTTY),
  stderrIsTTY: Boolean(process.stderr.isTTY),
  env: process.env,
};
const dist = join(__dirname, '..', 'dist');
const fast = argv[0] === 'check' ? require(join(dist, 'check.cjs')).fastCheck(argv, io) : Promise.resolve(undefined);
fast
  .then((code) => code ?? import(pathToFileURL(join(dist, 'cli.mjs')).href).then((cli) => cli.main(argv, io)))
  .then((code) => {
    process.exitCode = code;
  });
