// npm run lab -- --qemu-migrate: real QEMU as a second oracle. Inside the emulated machine,
// Debian's arm64 QEMU (lab/qemu-guest.mjs) runs a paused guest on kernel A's KVM and saves it
// (HMP `migrate "exec:cat > /tmp/state"`); the state leaves over the console, goes into the
// initramfs of kernel B, and B's QEMU loads it with `-incoming`. QEMU's own words decide the
// verdict; each is recorded beside the replay's for the same pair (truth.json) in
// test/fixtures/kvm/qemu-oracle.json. One save boot per source (it also loads its own state
// back: the diagonal), one load boot per destination for all of its sources.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildInitramfs } from './initramfs.mjs';
import { compareKernel, series } from './kernels.mjs';

// clean and failing pairs of each kind the replay found (HCX, CCIDX, lists that differ,
// PMMIR_EL1), A>B; every source's diagonal is run as well
export const DEFAULT_PAIRS = [
  'max:5.10>6.12', 'max:6.1>6.12', 'max:7.3>6.12', 'max:6.12>6.16', 'max:7.3>6.16', 'max:6.16>7.3', 'max:5.10>7.3', 'max:6.1>7.3', 'max:6.12>7.3',
  'neoverse-n1:5.10>6.1', 'neoverse-n1:6.1>6.12', 'neoverse-n1:6.12>7.3', 'neoverse-n1:7.3>6.12', 'neoverse-n1:6.1>7.3',
  'neoverse-v1:6.1>6.16', 'neoverse-v1:6.16>7.3', 'neoverse-v1:7.3>6.16', 'neoverse-v1:6.1>7.3',
  'neoverse-n2:5.10>6.1', 'neoverse-n2:6.1>6.16', 'neoverse-n2:6.16>7.3', 'neoverse-n2:7.3>6.16',
  'cortex-a72:6.1>6.12', 'cortex-a72:6.12>7.3', 'cortex-a72:7.3>6.12',
];

/** "cpu:A>B,..." -> [{cpu, from, to}] (kernel series or exact versions) */
export function parsePairs(text) {
  return text.split(',').filter(Boolean).map((p) => {
    const m = /^([a-z0-9-]+):([0-9][^>]*)>([0-9].*)$/.exec(p.trim());
    if (!m) throw new Error(`--qemu-pairs ${p}: use cpu:A>B, e.g. max:6.1>6.12`);
    return { cpu: m[1], from: m[2], to: m[3] };
  });
}

/** the kernels the pairs name, for fetchKernels */
export const pairKernels = (pairs) => [...new Set(pairs.flatMap((p) => [p.from, p.to]))];

/** QEMU's log from init.sh -> { result, words } (words: what QEMU printed, and the VM status it reached) */
export function readLog(text) {
  const lines = text.split('\n').filter(Boolean);
  const get = (k) => lines.filter((l) => l.startsWith(`${k}: `)).map((l) => l.slice(k.length + 2));
  const words = [...get('stderr'), ...get('status').filter(Boolean), ...get('migration').filter(Boolean)].map((l) => l.trim()).filter(Boolean);
  return { result: get('result')[0], exit: get('exit')[0], words };
}

const key = (p) => `${p.cpu} ${p.from} ${p.to}`;

export async function runQemuOracle({ pairs, kernels, guest, busybox, helper, cache, outDir, truthFile, mode, append, run, log }) {
  const byVersion = (spec) => kernels.find((k) => k.version === spec) ?? kernels.find((k) => series(k.version) === spec);
  const truth = JSON.parse(readFileSync(truthFile, 'utf8'));
  const file = join(outDir, 'qemu-oracle.json');
  const old = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : { pairs: [] };
  const results = new Map(old.qemu === guest.version && old.mode === mode ? old.pairs.map((p) => [key(p), p]) : []);
  const notes = [];
  const resolved = [];
  for (const p of pairs) {
    const a = byVersion(p.from), b = byVersion(p.to);
    if (!a || !b) notes.push(`skip ${p.cpu} ${p.from}>${p.to}: kernel not fetched`);
    else resolved.push({ cpu: p.cpu, a, b });
  }
  const record = (cpu, a, b, logText) => {
    const q = readLog(logText);
    const replay = truth.cpus[cpu]?.matrix?.[a]?.[b]?.result;
    const r = { cpu, from: a, to: b, qemu: q.result ?? 'error', replay: replay ?? 'not run', agree: q.result === replay, words: q.words };
    results.set(key(r), r);
    log(`qemu: ${cpu} ${a} -> ${b}: QEMU ${r.qemu}, replay ${r.replay}${r.agree ? '' : '  DISAGREE'}${q.words.length ? ` (${q.words[0]})` : ''}`);
  };
  const qemuFiles = Object.fromEntries(Object.entries(guest.files));
  for (const cpu of [...new Set(resolved.map((p) => p.cpu))]) {
    const mine = resolved.filter((p) => p.cpu === cpu);
    const sources = [...new Map(mine.map((p) => [p.a.version, p.a])).values()].sort((x, y) => compareKernel(x.version, y.version));
    const states = new Map();
    const saveInitrd = buildInitramfs({ busybox, helper, files: qemuFiles, out: join(cache, 'initrd-qemu-save.gz') });
    for (const a of sources) {
      const r = await run('qemu-save', cpu, a, saveInitrd, append('qemu-save'));
      const saveLog = r.blocks.get('qemu/save.log')?.toString() ?? '';
      const state = r.blocks.get('qemu/save.state');
      if (!state?.length) {
        notes.push(`${cpu} ${a.version}: no state saved: ${readLog(saveLog).words.join(' | ') || r.why || 'no log'}`);
        log(`qemu: ${cpu} ${a.version}: save failed:\n${saveLog}`);
        continue;
      }
      mkdirSync(join(cache, 'qemu-states'), { recursive: true });
      const path = join(cache, 'qemu-states', `${cpu}-${a.version}.state`);
      writeFileSync(path, state);
      states.set(a.version, path);
      log(`qemu: ${cpu} ${a.version}: saved ${state.length} bytes`);
      const self = r.blocks.get('qemu/load/self.log');
      if (self) record(cpu, a.version, a.version, self.toString());
    }
    const dests = [...new Map(mine.filter((p) => p.a !== p.b).map((p) => [p.b.version, p.b])).values()];
    for (const b of dests) {
      const from = mine.filter((p) => p.b === b && p.a !== b && states.has(p.a.version)).map((p) => p.a.version);
      if (!from.length) continue;
      const files = { ...qemuFiles, ...Object.fromEntries(from.map((v) => [`mc/state/${v}.state`, states.get(v)])) };
      const initrd = buildInitramfs({ busybox, helper, files, out: join(cache, 'initrd-qemu-load.gz') });
      const r = await run('qemu-load', cpu, b, initrd, append('qemu-load'));
      for (const v of from) {
        const got = r.blocks.get(`qemu/load/${v}.log`);
        if (got) record(cpu, v, b.version, got.toString());
        else notes.push(`${cpu} ${v} -> ${b.version}: no QEMU log (${r.why ?? 'boot ended early'})`);
      }
    }
    write();
  }
  function write() {
    const order = (x, y) => x.cpu.localeCompare(y.cpu) || compareKernel(x.from, y.from) || compareKernel(x.to, y.to);
    const all = [...results.values()].sort(order);
    const agree = all.filter((p) => p.agree).length;
    const out = { qemu: guest.version, emulator: truth.emulator, features: truth.features, mode, agreed: `${agree} of ${all.length}`, pairs: all };
    writeFileSync(file, `${JSON.stringify(out, null, 2)}\n`);
  }
  write();
  return { notes, results: [...results.values()] };
}
