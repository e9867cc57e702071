// Fleet scale: `matrix`, `plan` (with the default guest, and with the baseline it searches
// when no --guest is given) and `pools` on synthetic fleets of 1k/10k/100k hosts drawn from
// 200 distinct profiles; whole-process wall time (median) and peak RSS.
// Run: node bench/fleet.mjs [runs] [sizes...]   e.g. node bench/fleet.mjs 5 10000
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeFleet } from './synthetic-fleet.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const runs = Number(process.argv[2] ?? 5);
const sizes = process.argv.length > 3 ? process.argv.slice(3).map(Number) : [1000, 10000, 100000];
const dir = mkdtempSync(join(tmpdir(), 'migcheck-bench-'));
const rssFile = join(dir, 'rss');

function measure(args) {
  const walls = [];
  const rss = [];
  for (let i = 0; i < runs + 1; i++) {
    rmSync(rssFile, { force: true });
    const t = process.hrtime.bigint();
    const r = spawnSync(process.execPath, ['--import', join(root, 'bench/rss-on-exit.mjs'), join(root, 'bin/migcheck'), ...args], {
      cwd: root,
      stdio: ['ignore', 'ignore', 'pipe'],
      env: { ...process.env, MIGCHECK_RSS_FILE: rssFile },
    });
    const ms = Number(process.hrtime.bigint() - t) / 1e6;
    if (r.status !== 0) throw new Error(`migcheck ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
    if (i === 0) continue; // warm-up
    walls.push(ms);
    rss.push(Number(readFileSync(rssFile, 'utf8').trim()) / 1024);
  }
  walls.sort((a, b) => a - b);
  return { ms: walls[Math.floor(walls.length / 2)], mb: Math.max(...rss) };
}

const rows = [];
try {
  for (const n of sizes) {
    const fleet = writeFleet(dir, n);
    const argv = {
      matrix: ['matrix', '--fleet', fleet],
      'plan --guest default': ['plan', '--fleet', fleet, '--guest', 'default'],
      // without --guest, plan first searches the baseline over current and target profiles
      plan: ['plan', '--fleet', fleet],
      pools: ['pools', '--fleet', fleet, '--guest', 'default'],
      'pools --format kubernetes': ['pools', '--fleet', fleet, '--guest', 'default', '--format', 'kubernetes'],
    };
    for (const [cmd, args] of Object.entries(argv)) {
      const { ms, mb } = measure(args);
      rows.push([`${cmd} --fleet (${n.toLocaleString('en')} hosts, 200 profiles)`, ms, mb]);
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
console.log('| command | median wall ms | peak RSS MB |\n|---|---:|---:|');
for (const [name, ms, mb] of rows) console.log(`| ${name} | ${ms.toFixed(0)} | ${mb.toFixed(0)} |`);
// the machine's speed during this run, for comparing runs on noisy hosts
const base = [];
for (let i = 0; i < 11; i++) {
  const t = process.hrtime.bigint();
  spawnSync(process.execPath, ['-e', '0']);
  base.push(Number(process.hrtime.bigint() - t) / 1e6);
}
base.sort((a, b) => a - b);
console.log(`\n(${runs} runs each after a warm-up, node ${process.version}, ${process.platform}/${process.arch}; node -e 0 took ${base[5].toFixed(0)} ms in this run)`);
