// Writes dist/check.cjs.cache and dist/cli.cjs.cache: loads each bundle through
// bin/migcheck's load(), runs sample commands with their output discarded, then stores V8's
// cached data under the build id (argv[2]).
'use strict';
const { writeFileSync } = require('node:fs');
const { join } = require('node:path');
const { load, cacheBytes } = require('../bin/migcheck');

const root = join(__dirname, '..');
const file = join(root, 'dist/check.cjs');
const { exports: bundle, script } = load(file, '/nonexistent');
const cliFile = join(root, 'dist/cli.cjs');
const { exports: cli, script: cliScript } = load(cliFile, '/nonexistent');
const sink = { write: () => true };
const io = { stdout: sink, stderr: sink, stdoutIsTTY: false, stderrIsTTY: false, env: {} };
const probed = (t) => join(root, 'test/fixtures/hosts', t, 'expected/host-kvm.yaml');
// (not a check of hand-written Hosts as well: it took that case ~2.7 M instructions off but put
// ~1.3 M on the probed-host gate, for the bytecode every start then deserialises; callgrind)
const samples = [
  ['check', '--from', '2018-sysreg-new', '--to', '2018-old'],
  ['check', '--from', probed('altra-n1-ubuntu-5.15'), '--to', probed('graviton3-v1-al2023-6.1')],
  ['check', '--from', probed('altra-n1-ubuntu-5.15'), '--to', probed('altra-n1-ubuntu-5.15'), '--format', 'json'],
];
// the fleet reports and a full check, on the shipped example fleet
const fleet = join(root, 'profiles/examples/fleet/eu-west.yaml');
const cliSamples = [
  ['matrix', '--fleet', fleet],
  ['plan', '--fleet', fleet, '--guest', 'default'],
  ['pools', '--fleet', fleet, '--guest', 'default'],
  ['pools', '--fleet', fleet, '--guest', 'default', '--format', 'kubernetes'],
  ['check', '--from', '2018-sysreg-new', '--to', '2018-old', '--format', 'json'],
  ['table', '--profiles', join(root, 'profiles/examples/2018')],
];
(async () => {
  // a sample whose files are not there (a package without its tests) only compiles less
  for (const argv of samples) await bundle.fastCheck(argv, io);
  writeFileSync(`${file}.cache`, cacheBytes(process.argv[2], script));
  for (const argv of cliSamples) await cli.main(argv, io);
  writeFileSync(`${cliFile}.cache`, cacheBytes(process.argv[2], cliScript));
})();
