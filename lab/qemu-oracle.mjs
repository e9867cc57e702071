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

// an emulated CPU, optionally with QEMU properties: neoverse-v1,sve256=off (a V1 with 128-bit SVE only)
const CPU = '[a-z0-9-]+(?:,[a-z0-9]+=[a-z0-9]+)*';

/** "cpu:A>B,..." or "cpuA:A>cpuB:B" (a cross-CPU pair) -> [{cpu, from, to, toCpu}] (kernel series or exact versions) */
export function parsePairs(text) {
  return text.split(new RegExp(`,(?=${CPU}:[0-9])`)).filter(Boolean).map((p) => {
    const m = new RegExp(`^(${CPU}):([0-9][^>]*)>(?:(${CPU}):)?([0-9].*)$`).exec(p.trim());
    if (!m) throw new Error(`--qemu-pairs ${p}: use cpu:A>B or cpuA:A>cpuB:B, e.g. max:6.1>6.12 or neoverse-v1:6.12>neoverse-n2:6.12`);
    return { cpu: m[1], from: m[2], to: m[4], toCpu: m[3] ?? m[1] };
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

const key = (p) => `${p.cpu}${p.toCpu && p.toCpu !== p.cpu ? `>${p.toCpu}` : ''} ${p.from} ${p.to}${p.qemuCpu ? ` ${p.qemuCpu}` : ''}`;
/** a file name for an emulated CPU with properties */
const slug = (cpu) => cpu.replace(/[,=]/g, '_');
const helperJson = (buf) => {
  try {
    return buf && JSON.parse(buf.toString());
  } catch {
    return undefined;
  }
};

/** qemuCpu: the guest QEMU's -cpu (host, or host,sve256=on: vector lengths pinned on both sides).
 * The pairs are recorded in outDir/<outFile>; a cross-CPU pair (or any with a qemuCpu other than host)
 * takes its replay verdict from the load boot's own helper replay of the source's capture, since
 * truth.json holds same-CPU pairs only; with pinned lengths from the replay that writes the source's
 * KVM_REG_ARM64_SVE_VLS (--sve-vls). */
export async function runQemuOracle({ pairs, kernels, guest, busybox, helper, cache, outDir, truthFile, mode, append, run, log, qemuCpu = 'host', outFile = 'qemu-oracle.json' }) {
  const byVersion = (spec) => kernels.find((k) => k.version === spec) ?? kernels.find((k) => series(k.version) === spec);
  const truth = JSON.parse(readFileSync(truthFile, 'utf8'));
  const file = join(outDir, outFile);
  const old = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : { pairs: [] };
  const results = new Map(old.qemu === guest.version && old.mode === mode ? old.pairs.map((p) => [key(p), p]) : []);
  const pinned = /sve\d+=on/.test(qemuCpu);
  const notes = [];
  const resolved = [];
  for (const p of pairs) {
    const a = byVersion(p.from), b = byVersion(p.to);
    if (!a || !b) notes.push(`skip ${p.cpu} ${p.from}>${p.to}: kernel not fetched`);
    else resolved.push({ cpu: p.cpu, toCpu: p.toCpu ?? p.cpu, a, b });
  }
  const sid = (cpu, version) => `${slug(cpu)}-${version}`;
  const vls = new Map(); // sid -> the helper's sveVectorLengths on that emulated host
  const record = (cpu, a, toCpu, b, logText, here) => {
    const q = readLog(logText);
    const fromTruth = cpu === toCpu && qemuCpu === 'host' ? truth.cpus[cpu]?.matrix?.[a]?.[b]?.result : undefined;
    const plain = here?.replay?.result ?? (here?.replay ? 'error' : undefined);
    // KVM refusing the source's lengths (KVM_SET_ONE_REG(SVE_VLS)) leaves no vCPU to load into: a failure
    const withVls = here?.replayVls ? here.replayVls.result ?? 'fail' : undefined;
    const vlsWords = here?.replayVls?.error ? `refused: ${here.replayVls.error}` : withVls;
    // pinned: KVM is asked for the source's lengths (the diagonal's own boot: its lengths are the pin's)
    const replay = fromTruth ?? (pinned && withVls ? withVls : plain);
    const sve = { from: vls.get(sid(cpu, a)), to: vls.get(sid(toCpu, b)) };
    const r = {
      cpu, ...(toCpu !== cpu ? { toCpu } : {}), from: a, to: b, ...(qemuCpu !== 'host' ? { qemuCpu } : {}),
      qemu: q.result ?? 'error', replay: replay ?? 'not run', agree: q.result === replay, words: q.words,
      ...(sve.from || sve.to ? { sveVectorLengths: sve } : {}),
      ...(here && !fromTruth ? { replays: { hostLengths: plain ?? 'not run', ...(vlsWords ? { sourceLengths: vlsWords } : {}) }, refused: here.replay?.refused?.map((x) => x.id) ?? [], notListed: here.replay?.notListed ?? [] } : {}),
    };
    results.set(key(r), r);
    log(`qemu: ${cpu} ${a} -> ${toCpu === cpu ? '' : `${toCpu} `}${b}: QEMU ${r.qemu}, replay ${r.replay}${r.agree ? '' : '  DISAGREE'}${q.words.length ? ` (${q.words[0]})` : ''}`);
  };
  // the helper's replays in a load boot: replay/<sid>.json (host lengths), replay-vls/<sid>.json (the source's)
  const replaysOf = (r, name) => {
    const rv = r.blocks.get(`replay-vls/${name}.json`);
    const rvErr = r.blocks.get(`replay-vls/${name}.json.stderr`)?.toString().trim();
    return { replay: helperJson(r.blocks.get(`replay/${name}.json`)), ...(rv ? { replayVls: helperJson(rv) ?? { error: rvErr?.replace(/^migcheck-kvm-probe: /, '') || 'no output' } } : {}) };
  };
  const qemuFiles = Object.fromEntries(Object.entries(guest.files));
  const saveInitrd = buildInitramfs({ busybox, helper, files: qemuFiles, out: join(cache, 'initrd-qemu-save.gz') });
  const states = new Map(); // sid -> { path, capture }
  for (const cpu of [...new Set(resolved.map((p) => p.cpu))]) {
    const sources = [...new Map(resolved.filter((p) => p.cpu === cpu).map((p) => [p.a.version, p.a])).values()].sort((x, y) => compareKernel(x.version, y.version));
    for (const a of sources) {
      const id = sid(cpu, a.version);
      const r = await run('qemu-save', cpu, a, saveInitrd, append('qemu-save'));
      const capture = r.blocks.get('capture/kvm-probe.json')?.toString();
      const cap = helperJson(capture);
      if (cap?.sveVectorLengths) vls.set(id, cap.sveVectorLengths);
      const saveLog = r.blocks.get('qemu/save.log')?.toString() ?? '';
      const state = r.blocks.get('qemu/save.state');
      if (!state?.length) {
        notes.push(`${cpu} ${a.version}: no state saved: ${readLog(saveLog).words.join(' | ') || r.why || 'no log'}`);
        log(`qemu: ${cpu} ${a.version}: save failed:\n${saveLog}`);
        continue;
      }
      mkdirSync(join(cache, 'qemu-states'), { recursive: true });
      const path = join(cache, 'qemu-states', `${id}${pinned ? `-${slug(qemuCpu)}` : ''}.state`);
      writeFileSync(path, state);
      states.set(id, { path, capture });
      log(`qemu: ${cpu} ${a.version}: saved ${state.length} bytes`);
      const self = r.blocks.get('qemu/load/self.log');
      if (self) record(cpu, a.version, cpu, a.version, self.toString(), { replay: helperJson(r.blocks.get('replay/self.json')) });
    }
  }
  const dests = [...new Map(resolved.map((p) => [sid(p.toCpu, p.b.version), p])).values()];
  for (const d of dests) {
    const mine = resolved.filter((p) => p.toCpu === d.toCpu && p.b === d.b && !(p.cpu === d.toCpu && p.a === d.b) && states.has(sid(p.cpu, p.a.version)));
    if (!mine.length) continue;
    const ids = mine.map((p) => sid(p.cpu, p.a.version));
    const files = { ...qemuFiles, ...Object.fromEntries(ids.map((id) => [`mc/state/${id}.state`, states.get(id).path])) };
    const sources = Object.fromEntries(ids.filter((id) => states.get(id).capture).map((id) => [`${id}.json`, states.get(id).capture]));
    const initrd = buildInitramfs({ busybox, helper, sources, files, out: join(cache, 'initrd-qemu-load.gz') });
    const r = await run('qemu-load', d.toCpu, d.b, initrd, append('qemu-load'));
    const hostVls = [...r.blocks].map(([n, buf]) => (/^replay\//.test(n) ? helperJson(buf)?.sveVectorLengths : undefined)).find(Boolean);
    if (hostVls) vls.set(sid(d.toCpu, d.b.version), hostVls);
    for (const p of mine) {
      const id = sid(p.cpu, p.a.version);
      const got = r.blocks.get(`qemu/load/${id}.log`);
      if (got) record(p.cpu, p.a.version, p.toCpu, p.b.version, got.toString(), replaysOf(r, id));
      else notes.push(`${p.cpu} ${p.a.version} -> ${p.toCpu} ${p.b.version}: no QEMU log (${r.why ?? 'boot ended early'})`);
    }
    write();
  }
  function write() {
    const order = (x, y) => x.cpu.localeCompare(y.cpu) || (x.toCpu ?? x.cpu).localeCompare(y.toCpu ?? y.cpu) || compareKernel(x.from, y.from) || compareKernel(x.to, y.to) || (x.qemuCpu ?? '').localeCompare(y.qemuCpu ?? '');
    const all = [...results.values()].sort(order);
    const agree = all.filter((p) => p.agree).length;
    const out = { qemu: guest.version, emulator: truth.emulator, features: truth.features, mode, agreed: `${agree} of ${all.length}`, pairs: all };
    writeFileSync(file, `${JSON.stringify(out, null, 2)}\n`);
  }
  write();
  return { notes, results: [...results.values()] };
}
