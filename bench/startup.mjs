// Whole-process start-up against `node -e 0` (median of N runs). Uses hyperfine when it is
// installed, otherwise a built-in loop. Run: node bench/startup.mjs [runs]
// The gate case is the one the libvirt hook runs: two profiles written by `migcheck probe`.
import { execFileSync, spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const runs = Number(process.argv[2] ?? 30);
const bin = join(root, 'bin', 'migcheck');
const probed = (t) => `test/fixtures/hosts/${t}/expected/host-kvm.yaml`;
const cases = {
  'node -e 0': [process.execPath, ['-e', '0']],
  'check, two probed hosts (the gate)': [bin, ['check', '--from', probed('altra-n1-ubuntu-5.15'), '--to', probed('graviton3-v1-al2023-6.1')]],
  'check, two hand-written Host files': [bin, ['check', '--from', 'test/fixtures/hosts/n1-6.6.yaml', '--to', 'test/fixtures/hosts/n1-6.12.yaml']],
  'check, shipped names (2018 example)': [bin, ['check', '--from', '2018-sysreg-new', '--to', '2018-old']],
  'check --format json, probed hosts': [bin, ['check', '--from', probed('altra-n1-ubuntu-5.15'), '--to', probed('altra-n1-ubuntu-5.15'), '--format', 'json']],
  'table (2018 example, full CLI)': [bin, ['table', '--old', '2018-old', '--new', '2018-sysreg-new', '--compat', '2018-compat']],
};

// round-robin over the cases, so a machine that speeds up or slows down mid-run (shared
// VMs do) shifts every case alike and the ratios hold
function medians(env = process.env) {
  const times = Object.fromEntries(Object.keys(cases).map((k) => [k, []]));
  for (let i = 0; i < runs + 3; i++) {
    for (const [name, [cmd, args]] of Object.entries(cases)) {
      const t = process.hrtime.bigint();
      spawnSync(cmd, args, { cwd: root, stdio: 'ignore', env });
      if (i >= 3) times[name].push(Number(process.hrtime.bigint() - t) / 1e6);
    }
  }
  return Object.fromEntries(Object.entries(times).map(([k, ts]) => [k, ts.sort((a, b) => a - b)[Math.floor(ts.length / 2)]]));
}

let hyperfine = false;
try {
  execFileSync('hyperfine', ['--version'], { stdio: 'ignore' });
  hyperfine = true;
} catch {}

const rows = [];
const loop = hyperfine ? undefined : medians();
for (const [name, [cmd, args]] of Object.entries(cases)) {
  let ms;
  if (hyperfine) {
    const out = execFileSync('hyperfine', ['-N', '--warmup', '3', '--runs', String(runs), '--export-json', '/dev/stdout', [cmd, ...args].join(' ')], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    ms = JSON.parse(out).results[0].median * 1000;
  } else ms = loop[name];
  rows.push([name, ms]);
}
const base = rows[0][1];
console.log(`| command | median ms | × node -e 0 |\n|---|---:|---:|`);
for (const [name, ms] of rows) console.log(`| ${name} | ${ms.toFixed(1)} | ${(ms / base).toFixed(2)} |`);
// Node loads NODE_EXTRA_CA_CERTS at start-up, before any script: where it is set, `node -e 0`
// (the ratios' denominator) is mostly that, and every ratio reads lower than without it
const certs = process.env.NODE_EXTRA_CA_CERTS ? '; NODE_EXTRA_CA_CERTS is set, so every process here loads those certificates first' : '';
console.log(`\n(${runs} runs each, ${hyperfine ? 'hyperfine' : 'built-in round-robin loop'}, node ${process.version}, ${process.platform}/${process.arch}${certs})`);
// the same without the certificates (migcheck makes no TLS connection): what the ratios are over Node's own start
if (process.env.NODE_EXTRA_CA_CERTS) {
  const { NODE_EXTRA_CA_CERTS: _c, ...env } = process.env;
  const bare = medians(env);
  const b = bare['node -e 0'];
  console.log(`\nWithout NODE_EXTRA_CA_CERTS (the same loop, ${runs} runs each):\n\n| command | median ms | × node -e 0 |\n|---|---:|---:|`);
  for (const [name, ms] of Object.entries(bare)) console.log(`| ${name} | ${ms.toFixed(1)} | ${(ms / b).toFixed(2)} |`);
}
