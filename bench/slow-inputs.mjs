// Inputs within the size caps that once took seconds to minutes (issue 12, item 10): each is
// generated into a temp dir and run through the CLI; prints case, exit code, wall and CPU ms
// (median), peak RSS and stderr size. Targets: every case under 1 s, fence over the whole knowledge
// base under 2 s and 300 MB. Run: node bench/slow-inputs.mjs [runs] [case filter]   (after scripts/build.mjs)
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const runs = Number(process.argv[2] ?? 3);
const only = process.argv[3];
const timeoutMs = Number(process.env.SLOW_INPUTS_TIMEOUT_MS ?? 120_000);
const dir = mkdtempSync(join(tmpdir(), 'migcheck-slow-'));
const file = (name, text) => (writeFileSync(join(dir, name), text), join(dir, name));
const hex = (n, width) => `0x${n.toString(16).padStart(width, '0')}`;
const head = (kind, name) => `apiVersion: migcheck/v1\nkind: ${kind}\nname: ${name}\n`;
const lines = (n, f) => Array.from({ length: n }, (_, i) => f(i)).join('');

// A captured host tree whose /proc/config.gz inflates to 1.5 GB: 150 concatenated gzip
// members of 10 MB each (gunzip reads every member), 15 KB on disk.
function configBombTree() {
  const tree = join(dir, 'config-bomb-tree');
  cpSync(join(root, 'test/fixtures/hosts/altra-n1-ubuntu-5.15'), tree, { recursive: true });
  rmSync(join(tree, 'boot'), { recursive: true, force: true });
  rmSync(join(tree, 'expected'), { recursive: true, force: true });
  const member = gzipSync(Buffer.alloc(10 << 20, '# CONFIG_X is not set\n'), { level: 9 });
  writeFileSync(join(tree, 'proc/config.gz'), Buffer.concat(Array.from({ length: 150 }, () => member)));
  return tree;
}

const hostWith = (name, body) => file(`${name}.yaml`, `${head('Host', name)}kernel: linux-6.6\nvmm: qemu-9.2\n${body}`);
const cases = [
  ['host: 30,000 otherCpus', () => ['validate', hostWith('other-cpus', `cpu: neoverse-n1\notherCpus:\n${lines(30_000, (i) => `  - { midr: "${hex(0x41000000 + i, 8)}" }\n`)}`)]],
  [
    'host: 100,000 firmwareRegisters',
    // flow style, short names: 0.6 MB, inside the profile cap
    () => ['validate', file('fw-regs.yaml', `${head('Host', 'fw-regs')}vmm: qemu-9.2\ncpu: neoverse-n1\nkernel:\n  extends: linux-6.6\n  firmwareRegisters: [${Array.from({ length: 100_000 }, (_, i) => `R${i.toString(36).toUpperCase()}`).join(', ')}]\n`)],
  ],
  // a guest's bitmap list: enum items were compared pairwise by uniqueItems, and the located problems re-parsed the line each
  ['guest: 75,000 hypercall bitmap entries', () => ['validate', file('bitmaps.yaml', `${head('Guest', 'bitmaps')}hypercallBitmaps: { STD_BMAP: [${Array.from({ length: 75_000 }, (_, i) => `X${i}`).join(', ')}] }\n`)]],
  ['host: 50,000 unknown keys', () => ['validate', hostWith('unknown-keys', `cpu: neoverse-n1\n${lines(50_000, (i) => `unknown${i}: 1\n`)}`)]],
  ['host: a 1 MB unknown CPU name', () => ['validate', hostWith('long-cpu', `cpu: ${'a'.repeat(1_000_000)}\n`)]],
  [
    'check --batch: a 10 MB host name',
    () => ['check', '--batch', file('long-name.jsonl', `${JSON.stringify({ from: 'h'.repeat(10 << 20), to: 'altra-6.6' })}\n`)],
  ],
  [
    'fleet: 100,000 unknown hosts',
    () => ['validate', file('unknown-hosts.yaml', `${head('Fleet', 'unknown-hosts')}hosts:\n${lines(100_000, (i) => `  - { host: no-such-host-${i} }\n`)}`)],
  ],
  [
    'fleet: 100,000 entries with count: 0',
    () => ['validate', file('count-zero.yaml', `${head('Fleet', 'count-zero')}hosts:\n${lines(100_000, () => `  - { host: altra-6.6, count: 0 }\n`)}`)],
  ],
  // for comparison: what reading a valid fleet of that size costs at all
  ['fleet: 100,000 valid entries (baseline, not a slow input)', () => ['validate', file('valid-fleet.yaml', `${head('Fleet', 'valid')}hosts:\n${lines(100_000, () => `  - { host: altra-6.6, count: 1 }\n`)}`)]],
  ['fence: whole knowledge base (linux-4.14..linux-7.3 × qemu-4.2..qemu-11.1)', () => ['fence', '--kernels', 'linux-4.14..linux-7.3', '--vmms', 'qemu-4.2..qemu-11.1']],
  ['fence: --kernels with 300 copies of linux-6.6', () => ['fence', '--kernels', ...Array(300).fill('linux-6.6'), '--vmms', 'qemu-9.2']],
  ['probe --root: /proc/config.gz inflating to 1.5 GB', () => ['probe', '--root', configBombTree()]],
];

const gnuTime = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;
const rssFile = join(dir, 'rss');

/** One run: exit code, wall ms, peak RSS MB, stderr bytes. */
function runOnce(args) {
  rmSync(rssFile, { force: true });
  const node = [process.execPath, join(root, 'bin/migcheck'), ...args];
  // GNU time's own report goes to a file (-o), so stderr is only migcheck's
  const [cmd, ...argv] = gnuTime ? [gnuTime, '-v', '-o', rssFile, ...node] : [process.execPath, '--import', join(root, 'bench/rss-on-exit.mjs'), ...node.slice(1)];
  const t = process.hrtime.bigint();
  const r = spawnSync(cmd, argv, {
    cwd: root,
    stdio: ['ignore', 'ignore', 'pipe'],
    maxBuffer: 1 << 30,
    timeout: timeoutMs,
    env: { ...process.env, MIGCHECK_RSS_FILE: rssFile },
  });
  const ms = Number(process.hrtime.bigint() - t) / 1e6;
  let kb = NaN;
  let cpu = NaN;
  if (existsSync(rssFile)) {
    const text = readFileSync(rssFile, 'utf8');
    kb = Number(gnuTime ? /Maximum resident set size \(kbytes\): (\d+)/.exec(text)?.[1] : text.trim());
    // CPU time as well: on a shared machine wall time includes waiting for a core
    if (gnuTime) cpu = 1000 * (Number(/User time \(seconds\): ([\d.]+)/.exec(text)?.[1]) + Number(/System time \(seconds\): ([\d.]+)/.exec(text)?.[1]));
  }
  return { code: r.status ?? `killed (${r.signal}${r.error ? ', timeout' : ''})`, ms, cpu, mb: kb / 1024, stderr: r.stderr?.length ?? 0 };
}

const rows = [];
try {
  for (const [name, make] of cases) {
    if (only && !name.includes(only)) continue;
    const args = make();
    const all = Array.from({ length: runs }, () => runOnce(args));
    const median = (xs) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    rows.push([name, all[0].code, median(all.map((r) => r.ms)), median(all.map((r) => r.cpu)), Math.max(...all.map((r) => r.mb)), all[0].stderr]);
    process.stderr.write('.');
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
process.stderr.write('\n');
console.log('| case | exit | median wall ms | median CPU ms | peak RSS MB | stderr bytes |\n|---|---:|---:|---:|---:|---:|');
for (const [name, code, ms, cpu, mb, err] of rows) console.log(`| ${name} | ${code} | ${ms.toFixed(0)} | ${Number.isNaN(cpu) ? '–' : cpu.toFixed(0)} | ${mb.toFixed(0)} | ${err.toLocaleString('en')} |`);
console.log(`\n(${runs} runs each, node ${process.version}, ${process.platform}/${process.arch}; RSS by ${gnuTime ? '/usr/bin/time -v' : 'process.resourceUsage()'})`);
