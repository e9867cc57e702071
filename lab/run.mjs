#!/usr/bin/env node
// npm run lab: boots real Debian arm64 kernels under QEMU TCG with EL2, captures what their
// KVM exposes (probe tree + register dump) and replays every capture onto every kernel of the
// same CPU model with QEMU's incoming-migration rules. Writes test/fixtures/kvm/.
// See README.md "Ground truth" for the options.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus as osCpus } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { PrivateApt, unpack } from './apt.mjs';
import { boot, tail } from './boot.mjs';
import { captureName, writeCapture, writeTruth } from './captures.mjs';
import { emulator } from './emulator.mjs';
import { ensureHostPackages } from './host.mjs';
import { buildInitramfs } from './initramfs.mjs';
import { configExcerpt, fetchKernels } from './kernels.mjs';
import { fetchGuestQemu } from './qemu-guest.mjs';
import { DEFAULT_PAIRS, pairKernels, parsePairs, runQemuOracle } from './qemu-oracle.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const DEFAULT_CPUS = ['max', 'neoverse-n1', 'neoverse-v1', 'neoverse-n2', 'cortex-a72', 'cortex-a76', 'cortex-a710'];
const MODES = { vhe: '', nvhe: 'kvm-arm.mode=nvhe', protected: 'kvm-arm.mode=protected' };

const { values: opt } = parseArgs({
  options: {
    kernels: { type: 'string' },
    cpus: { type: 'string', default: DEFAULT_CPUS.join(',') },
    mode: { type: 'string', default: 'vhe' },
    emulator: { type: 'string', default: '10.0' },
    jobs: { type: 'string', default: String(Math.max(1, osCpus().length)) },
    features: { type: 'string', default: 'qemu-7.0' },
    timeout: { type: 'string', default: '300' },
    cache: { type: 'string', default: process.env.MIGCHECK_LAB_CACHE ?? join(root, 'lab', '.cache') },
    out: { type: 'string', default: join(root, 'test', 'fixtures', 'kvm') },
    'no-replay': { type: 'boolean', default: false },
    'reuse-captures': { type: 'boolean', default: false },
    'cross-from': { type: 'string' },
    'cross-cpus': { type: 'boolean', default: false },
    'qemu-migrate': { type: 'boolean', default: false },
    'qemu-pairs': { type: 'string', default: DEFAULT_PAIRS.join(',') },
    'qemu-cpu': { type: 'string', default: 'host' },
    'qemu-out': { type: 'string', default: 'qemu-oracle.json' },
    help: { type: 'boolean', short: 'h', default: false },
  },
});
if (opt.help) {
  console.log(`usage: npm run lab -- [--kernels 5.10,6.1,7.3.4] [--cpus ${DEFAULT_CPUS.join(',')}] [--mode vhe|nvhe|protected]
       [--emulator 10.0|system] [--jobs N] [--features qemu-7.0|qemu-5.0|qemu-4.1] [--timeout SECONDS]
       [--cache DIR] [--out DIR] [--no-replay] [--reuse-captures]
       [--cross-from vhe|nvhe|protected]   replay that mode's cached captures on this mode's boots
       [--cross-cpus]                      replay each committed capture on every other CPU model's boot of its kernel
       --qemu-migrate [--qemu-pairs cpu:A>B,cpuA:A>cpuB:B,...] [--qemu-cpu host|host,sve256=on,...] [--qemu-out FILE]
                                   real QEMU inside instead: save on A, load on B (cpuB: another emulated
                                   CPU, e.g. neoverse-n2 or neoverse-v1,sve256=off; --qemu-cpu: the guest's -cpu)`);
  process.exit(0);
}
const usage = (m) => {
  console.error(`lab: ${m}`);
  process.exit(3);
};
if (!(opt.mode in MODES)) usage(`--mode ${opt.mode}: use vhe, nvhe or protected`);
const crossFrom = opt['cross-from'];
if (crossFrom !== undefined && (!(crossFrom in MODES) || crossFrom === opt.mode)) usage(`--cross-from ${crossFrom}: another mode than --mode`);
const jobs = Number(opt.jobs);
if (!Number.isInteger(jobs) || jobs < 1) usage(`--jobs ${opt.jobs}: a whole number >= 1`);
const timeoutMs = Number(opt.timeout) * 1000;
if (!(timeoutMs > 0)) usage(`--timeout ${opt.timeout}: seconds > 0`);
const cache = resolve(opt.cache);
const outDir = resolve(opt.out);
let cpuList = opt.cpus.split(',').filter(Boolean);
let qemuPairs;
try {
  qemuPairs = opt['qemu-migrate'] ? parsePairs(opt['qemu-pairs']) : undefined;
} catch (err) {
  usage(err.message);
}
const wantedKernels = opt.kernels?.split(',').filter(Boolean) ?? (qemuPairs && pairKernels(qemuPairs));
if (qemuPairs) cpuList = [...new Set(qemuPairs.flatMap((p) => [p.cpu, p.toCpu]))];
if (!/^host(,[a-z0-9-]+=[a-z0-9]+)*$/.test(opt['qemu-cpu'])) usage(`--qemu-cpu ${opt['qemu-cpu']}: host with properties, e.g. host,sve256=on`);
if (!/^[\w.-]+\.json$/.test(opt['qemu-out'])) usage(`--qemu-out ${opt['qemu-out']}: a .json file name (written in --out)`);

const tty = process.stderr.isTTY;
const log = (m) => process.stderr.write(`${tty ? '\r\x1b[K' : ''}${m}\n`);
const status = (m) => (tty ? process.stderr.write(`\r\x1b[K${m}`) : undefined);

async function pool(tasks, n, each) {
  let next = 0;
  const workers = Array.from({ length: Math.min(n, tasks.length) }, async () => {
    while (next < tasks.length) {
      const i = next++;
      await each(tasks[i], i);
    }
  });
  await Promise.all(workers);
}

const t0 = Date.now();
ensureHostPackages(log);
mkdirSync(cache, { recursive: true });
const apt = new PrivateApt(cache, log).setup();
apt.update();
const emu = emulator(opt.emulator, apt, cache, log);
const busybox = join(unpack(apt.download('busybox-static'), join(cache, 'busybox')), 'usr', 'bin', 'busybox');
const { kernels, notes } = fetchKernels(apt, cache, wantedKernels, log);
if (!kernels.length) usage('no kernel could be fetched');
for (const k of kernels) k.configExcerpt = configExcerpt(k.config);
const tReady = Date.now();
log(`lab: ${kernels.length} kernels (${kernels.map((k) => k.version).join(' ')}) x ${cpuList.length} CPU models (${cpuList.join(' ')}), ${opt.mode}, ${emu.version}`);

// the helper, static for arm64, -Werror (scripts/build-probe.mjs)
const helper = join(cache, 'migcheck-kvm-probe-arm64');
execFileSync(process.execPath, [join(root, 'scripts', 'build-probe.mjs'), helper, '--static'], { stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, CC: 'aarch64-linux-gnu-gcc' } });

const append = (m) => `mc.mode=${m} mc.features=${opt.features} ${MODES[opt.mode]}`.trim();
const failures = [];
let done = 0;
const total = kernels.length * cpuList.length * (opt['no-replay'] ? 1 : 2);
const bootTimes = [];
async function run(kind, cpu, kernel, initrd) {
  const name = captureName(cpu, kernel.version, opt.mode);
  status(`[${done + 1}/${total}] ${kind} ${name}`);
  const r = await boot({ emu, cpu, kernel: kernel.vmlinuz, initrd, append: append(kind) }, timeoutMs);
  done++;
  bootTimes.push(r.seconds);
  if (!r.ok) {
    failures.push({ kind, name, why: r.why });
    log(`[${done}/${total}] ${kind} ${name}: FAILED (${r.why}); console tail:\n${tail(r.console)}`);
  } else if (!tty) log(`[${done}/${total}] ${kind} ${name}: ${r.seconds.toFixed(1)} s`);
  return r;
}

const truthFile = join(outDir, opt.mode === 'vhe' ? 'truth.json' : `truth-${opt.mode}.json`);
if (qemuPairs) {
  // real QEMU inside: its own boots (more memory: a 55 MB initramfs and QEMU itself), longer timeouts
  const guest = fetchGuestQemu(apt, cache, log);
  log(`lab: QEMU inside: ${guest.version}, ${Object.keys(guest.files).length} files`);
  let n = 0;
  const runQ = async (kind, cpu, kernel, initrd, app) => {
    const name = `${kind} ${captureName(cpu, kernel.version, opt.mode)}`;
    status(`[${++n}] ${name}`);
    const r = await boot({ emu, cpu, kernel: kernel.vmlinuz, initrd, append: app, memory: 2048 }, Math.max(timeoutMs, 2400e3));
    bootTimes.push(r.seconds);
    if (!r.ok) {
      failures.push({ kind, name, why: r.why });
      log(`[${n}] ${name}: FAILED (${r.why}); console tail:\n${tail(r.console)}`);
    } else log(`[${n}] ${name}: ${r.seconds.toFixed(1)} s`);
    return r;
  };
  const { notes: qnotes, results } = await runQemuOracle({ pairs: qemuPairs, kernels, guest, busybox, helper, cache, outDir, truthFile, mode: opt.mode, append: (kind) => `mc.mode=${kind} mc.qcpu=${opt['qemu-cpu']} ${MODES[opt.mode]}`.trim(), run: runQ, log, qemuCpu: opt['qemu-cpu'], outFile: opt['qemu-out'] });
  const wall = (Date.now() - t0) / 1000;
  const agree = results.filter((r) => r.agree).length;
  log(`lab: real QEMU (${guest.version}) agreed with the replay on ${agree} of ${results.length} pairs; ${bootTimes.length} boots (${Math.round(bootTimes.reduce((s, x) => s + x, 0))} s), wall ${Math.floor(wall / 60)} min ${Math.round(wall % 60)} s`);
  for (const x of [...notes, ...qnotes]) log(`  note: ${x}`);
  for (const f of failures) log(`  failed: ${f.kind} ${f.name}: ${f.why}`);
  process.exit(failures.length || agree !== results.length ? 1 : 0);
}

if (opt['cross-cpus']) {
  // cross-CPU truth: one boot per destination CPU model and kernel replays the committed captures
  // (--out) of every other CPU model on that kernel: real differing ID-register values, judged by
  // a real KVM field by field (test/lab/cross-cpu.test.ts holds migcheck's verdicts to them)
  const file = join(outDir, opt.mode === 'vhe' ? 'truth-cross-cpu.json' : `truth-cross-cpu-${opt.mode}.json`);
  const t = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : {};
  if (t.emulator !== emu.version || t.features !== opt.features || t.mode !== opt.mode) Object.assign(t, { emulator: emu.version, features: opt.features, mode: opt.mode, kernels: {} });
  const order = (a, b) => (a === b ? 0 : a.localeCompare(b, 'en', { numeric: true }));
  for (const kernel of kernels) {
    const sources = new Map(
      cpuList
        .map((cpu) => [cpu, join(outDir, captureName(cpu, kernel.version, opt.mode), 'capture', 'kvm-probe.json')])
        .filter(([, f]) => existsSync(f))
        .map(([cpu, f]) => [cpu, readFileSync(f, 'utf8')]),
    );
    if (sources.size < 2) {
      failures.push({ kind: 'replay', name: `cross-cpu ${kernel.version}`, why: `${sources.size} committed capture(s) of this kernel in ${outDir}` });
      continue;
    }
    const row = (t.kernels[kernel.version] ??= {});
    await pool([...sources.keys()], jobs, async (cpu) => {
      const others = Object.fromEntries([...sources].filter(([c]) => c !== cpu).map(([c, j]) => [`${c}.json`, j]));
      const initrd = buildInitramfs({ busybox, helper, sources: others, out: join(cache, `initrd-xcpu-${cpu}-${kernel.version}.gz`) });
      const r = await run('replay', cpu, kernel, initrd);
      for (const [name, buf] of r.blocks) {
        const hit = /^replay\/(.+)\.json$/.exec(name);
        if (!hit || hit[1] === 'self') continue;
        let res;
        try {
          res = JSON.parse(buf.toString());
        } catch {
          failures.push({ kind: 'replay', name: `${hit[1]} -> ${cpu} ${kernel.version}`, why: `no result: ${r.blocks.get(`${name}.stderr`)?.toString().trim()}` });
          continue;
        }
        (row[hit[1]] ??= {})[cpu] = { result: res.result, notListed: res.notListed, refused: res.refused.map(({ id, error, value, destValue }) => ({ id, error, value, destValue })) };
      }
    });
    const sorted = (o) => Object.fromEntries(Object.entries(o).sort(([a], [b]) => (DEFAULT_CPUS.indexOf(a) + 1 || 99) - (DEFAULT_CPUS.indexOf(b) + 1 || 99) || a.localeCompare(b)));
    t.kernels[kernel.version] = Object.fromEntries(Object.entries(sorted(row)).map(([a, cells]) => [a, sorted(cells)]));
    t.kernels = Object.fromEntries(Object.entries(t.kernels).sort(([a], [b]) => order(a, b)));
    mkdirSync(outDir, { recursive: true });
    writeFileSync(file, `${JSON.stringify(t, null, 2)}\n`);
  }
  const wall = (Date.now() - t0) / 1000;
  log(`lab: cross-CPU replay: ${bootTimes.length} boots, ${failures.length} failures, wall ${Math.floor(wall / 60)} min ${Math.round(wall % 60)} s`);
  for (const f of failures) log(`  failed: ${f.kind} ${f.name}: ${f.why}`);
  process.exit(failures.length ? 1 : 0);
}

if (crossFrom) {
  // cross-mode truth: one boot per destination in --mode, every same-CPU capture of the other
  // mode (from the cache) replayed on it; the pairs go to the non-VHE mode's truth file, under
  // cross["<from>><to>"] so that its own matrix stays same-mode
  const other = crossFrom === 'vhe' ? opt.mode : crossFrom;
  const file = join(outDir, `truth-${other}.json`);
  if (!existsSync(file)) usage(`--cross-from: ${file} does not exist yet; run --mode ${other} first`);
  const t = JSON.parse(readFileSync(file, 'utf8'));
  const key = `${crossFrom}>${opt.mode}`;
  const cross = ((t.cross ??= {})[key] ??= {});
  const order = (a, b) => (a === b ? 0 : a.localeCompare(b, 'en', { numeric: true }));
  for (const cpu of cpuList) {
    const sources = new Map(kernels.map((k) => [k.version, join(cache, 'captures', `${captureName(cpu, k.version, crossFrom)}.json`)]).filter(([, f]) => existsSync(f)).map(([v, f]) => [v, readFileSync(f, 'utf8')]));
    if (!sources.size) {
      failures.push({ kind: 'replay', name: `${cpu} ${key}`, why: 'no cached source capture' });
      continue;
    }
    const initrd = buildInitramfs({ busybox, helper, sources: Object.fromEntries([...sources].map(([v, j]) => [`${v}.json`, j])), out: join(cache, `initrd-replay-${cpu}-${crossFrom}.gz`) });
    const m = (cross[cpu] ??= {});
    for (const kernel of kernels) {
      const r = await run('replay', cpu, kernel, initrd);
      for (const [name, buf] of r.blocks) {
        const hit = /^replay\/(.+)\.json$/.exec(name);
        if (!hit) continue;
        let res;
        try {
          res = JSON.parse(buf.toString());
        } catch {
          failures.push({ kind: 'replay', name: `${cpu} ${hit[1]} (${crossFrom}) -> ${kernel.version}`, why: `no result: ${r.blocks.get(`${name}.stderr`)?.toString().trim()}` });
          continue;
        }
        (m[hit[1]] ??= {})[kernel.version] = { result: res.result, notListed: res.notListed, refused: res.refused.map(({ id, error, value, destValue }) => ({ id, error, value, destValue })) };
      }
    }
    cross[cpu] = Object.fromEntries(Object.entries(m).sort(([a], [b]) => order(a, b)).map(([a, row]) => [a, Object.fromEntries(Object.entries(row).sort(([x], [y]) => order(x, y)))]));
    t.cross[key] = Object.fromEntries(Object.entries(cross).sort(([a], [b]) => (DEFAULT_CPUS.indexOf(a) + 1 || 99) - (DEFAULT_CPUS.indexOf(b) + 1 || 99) || a.localeCompare(b)));
    writeTruth(outDir, t, file);
  }
  const wall = (Date.now() - t0) / 1000;
  log(`lab: cross ${key}: ${bootTimes.length} boots, ${failures.length} failures, wall ${Math.floor(wall / 60)} min ${Math.round(wall % 60)} s`);
  for (const f of failures) log(`  failed: ${f.kind} ${f.name}: ${f.why}`);
  process.exit(failures.length ? 1 : 0);
}

// per CPU model (so that a long run leaves complete matrices behind as it goes):
// pass 1 captures every kernel, pass 2 boots each destination B once and replays every source A
const captures = new Map(); // cpu -> Map(version -> full helper JSON)
const capInitrd = buildInitramfs({ busybox, helper, out: join(cache, 'initrd-capture.gz') });
const old = existsSync(truthFile) ? JSON.parse(readFileSync(truthFile, 'utf8')) : undefined;
const truth = old && old.features === opt.features && old.mode === opt.mode && old.emulator === emu.version ? old : { emulator: emu.version, features: opt.features, mode: opt.mode, cpus: {} };
const order = (a, b) => (a === b ? 0 : a.localeCompare(b, 'en', { numeric: true }));

for (const cpu of cpuList) {
  await pool(kernels, jobs, async (kernel) => {
    // --reuse-captures: a capture this cache already holds is replayed without booting again
    const cached = join(cache, 'captures', `${captureName(cpu, kernel.version, opt.mode)}.json`);
    if (opt['reuse-captures'] && existsSync(cached) && existsSync(join(outDir, captureName(cpu, kernel.version, opt.mode)))) {
      if (!captures.has(cpu)) captures.set(cpu, new Map());
      captures.get(cpu).set(kernel.version, readFileSync(cached, 'utf8'));
      done++;
      return;
    }
    const r = await run('capture', cpu, kernel, capInitrd);
    const json = r.blocks.get('capture/kvm-probe.json')?.toString();
    const rc = r.blocks.get('capture/kvm-probe.json.rc')?.toString().trim();
    if (!r.ok) return;
    if (rc !== '0' || !json) {
      const err = r.blocks.get('capture/kvm-probe.json.stderr')?.toString().trim();
      failures.push({ kind: 'capture', name: captureName(cpu, kernel.version, opt.mode), why: `helper exit ${rc}: ${err}` });
      log(`capture ${captureName(cpu, kernel.version, opt.mode)}: helper exit ${rc}: ${err}`);
      return;
    }
    if (!captures.has(cpu)) captures.set(cpu, new Map());
    captures.get(cpu).set(kernel.version, json);
    mkdirSync(join(cache, 'captures'), { recursive: true });
    writeFileSync(join(cache, 'captures', `${captureName(cpu, kernel.version, opt.mode)}.json`), json);
    writeCapture(join(outDir, captureName(cpu, kernel.version, opt.mode)), { blocks: r.blocks, kernel, cpu, mode: opt.mode, emu, seconds: r.seconds, features: opt.features });
  });
  const sources = captures.get(cpu);
  if (opt['no-replay'] || !sources) continue;
  const initrd = buildInitramfs({ busybox, helper, sources: Object.fromEntries([...sources].map(([v, j]) => [`${v}.json`, j])), out: join(cache, `initrd-replay-${cpu}.gz`) });
  const m = (truth.cpus[cpu] ??= { kernels: [], matrix: {} });
  await pool(kernels.filter((k) => sources.has(k.version)), jobs, async (kernel) => {
    const r = await run('replay', cpu, kernel, initrd);
    for (const [name, buf] of r.blocks) {
      const hit = /^replay\/(.+)\.json$/.exec(name);
      if (!hit) continue;
      const a = hit[1];
      let res;
      try {
        res = JSON.parse(buf.toString());
      } catch {
        const err = r.blocks.get(`${name}.stderr`)?.toString().trim();
        failures.push({ kind: 'replay', name: `${cpu} ${a} -> ${kernel.version}`, why: `no result: ${err}` });
        continue;
      }
      (m.matrix[a] ??= {})[kernel.version] = { result: res.result, notListed: res.notListed, refused: res.refused.map(({ id, error, value, destValue }) => ({ id, error, value, destValue })) };
    }
  });
  const ks = new Set([...m.kernels, ...Object.keys(m.matrix), ...Object.values(m.matrix).flatMap((row) => Object.keys(row))]);
  m.kernels = [...ks].sort(order);
  m.matrix = Object.fromEntries(Object.entries(m.matrix).sort(([a], [b]) => order(a, b)).map(([a, row]) => [a, Object.fromEntries(Object.entries(row).sort(([x], [y]) => order(x, y)))]));
  truth.cpus = Object.fromEntries(Object.entries(truth.cpus).sort(([a], [b]) => (DEFAULT_CPUS.indexOf(a) + 1 || 99) - (DEFAULT_CPUS.indexOf(b) + 1 || 99) || a.localeCompare(b)));
  mkdirSync(outDir, { recursive: true });
  writeTruth(outDir, truth, truthFile);
  log(`lab: ${cpu}: ${sources.size} captures, matrix written (${Math.round((Date.now() - t0) / 1000)} s so far)`);
}

const wall = (Date.now() - t0) / 1000;
const summary = {
  finished: new Date().toISOString(),
  wallSeconds: Math.round(wall),
  preparationSeconds: Math.round((tReady - t0) / 1000),
  boots: bootTimes.length,
  bootSeconds: { total: Math.round(bootTimes.reduce((s, x) => s + x, 0)), max: Math.round(Math.max(0, ...bootTimes)) },
  jobs,
  emulator: emu.version,
  kernels: kernels.map((k) => `${k.version} (${k.packages[0]}, ${k.suite})`),
  cpus: cpuList,
  captured: [...captures].reduce((n, [, m]) => n + m.size, 0),
  notes,
  failures,
};
writeFileSync(join(cache, 'last-run.json'), `${JSON.stringify(summary, null, 2)}\n`);
log(`lab: ${summary.captured} captures, ${bootTimes.length} boots, ${failures.length} failures, wall ${Math.floor(wall / 60)} min ${Math.round(wall % 60)} s (preparation ${summary.preparationSeconds} s)`);
for (const n of notes) log(`  note: ${n}`);
for (const f of failures) log(`  failed: ${f.kind} ${f.name}: ${f.why}`);
process.exit(failures.length ? 1 : 0);
