// Captures as test data: test/fixtures/kvm/<cpu>-<kernel>[-<mode>]/ holds the probe tree
// (the paths `migcheck probe --root` reads) and the helper's register dump with values;
// truth.json the replay matrix of every ordered pair per CPU model. Small text files only.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

// the timer counters and compare values run on between two captures of one kernel
// (KVM_REG_ARM_TIMER_CNT, KVM_REG_ARM_PTIMER_CNT, KVM_REG_ARM_TIMER_CVAL, KVM_REG_ARM_PTIMER_CVAL)
export const VOLATILE = new Set(['0x603000000013df1a', '0x603000000013df01', '0x603000000013df02', '0x603000000013df12']);

export const captureName = (cpu, version, mode) => `${cpu}-${version}${mode && mode !== 'vhe' ? `-${mode}` : ''}`;

/** the helper's capture without the volatile values, keys in a stable order */
export function stableDump(json) {
  const o = JSON.parse(json);
  o.values = Object.fromEntries(Object.entries(o.values).filter(([id]) => !VOLATILE.has(id)));
  return `${JSON.stringify(o, null, 2)}\n`;
}

const KVM_DMESG = /kvm|KVM|psci|PSCI|SMCCC|CPU features|Spectre|spectre|SVE|pointer auth|VHE|hyp/;

/** Writes one capture directory from a boot's decoded blocks. */
export function writeCapture(dir, { blocks, kernel, cpu, mode, emu, seconds, features }) {
  rmSync(dir, { recursive: true, force: true });
  const put = (rel, content) => {
    mkdirSync(dirname(join(dir, rel)), { recursive: true });
    writeFileSync(join(dir, rel), content);
  };
  for (const [name, buf] of blocks) if (name.startsWith('tree/')) put(name.slice('tree/'.length), buf);
  put('capture/kvm-probe.json', stableDump(blocks.get('capture/kvm-probe.json').toString()));
  if (kernel.configExcerpt) put(`boot/config-${kernel.osrelease}`, kernel.configExcerpt);
  const dmesg = (blocks.get('dmesg') ?? Buffer.alloc(0)).toString().split('\n').filter((l) => KVM_DMESG.test(l));
  put('capture/dmesg-kvm.txt', `${dmesg.map((l) => l.replace(/^\[\s*[\d.]+\]\s*/, '')).join('\n')}\n`);
  put('capture/lab.json', `${JSON.stringify({ kernel: kernel.version, osrelease: kernel.osrelease, packages: kernel.packages, packageVersion: kernel.pkgVersion, suite: kernel.suite, cpu, mode: mode ?? 'vhe', features, emulator: emu.version, bootSeconds: Number(seconds.toFixed(1)) }, null, 2)}\n`);
}

/** truth.json and truth.txt (the C/F table per CPU model) */
export function writeTruth(outDir, truth, file = join(outDir, 'truth.json')) {
  writeFileSync(file, `${JSON.stringify(truth, null, 2)}\n`);
  const lines = [`# Replay ground truth (C clean, F fail, - not run): source down, destination across`, `# ${truth.emulator}; vCPU features ${truth.features}; kvm-arm.mode ${truth.mode}`, ''];
  for (const [cpu, m] of Object.entries(truth.cpus)) {
    const ks = m.kernels;
    const w = Math.max(8, ...ks.map((k) => k.length));
    lines.push(`## ${cpu}`, `${'A \\ B'.padEnd(w)} ${ks.map((k) => k.padEnd(w)).join(' ')}`.trimEnd());
    for (const a of ks) lines.push(`${a.padEnd(w)} ${ks.map((b) => { const r = m.matrix[a]?.[b]; return (r ? (r.result === 'clean' ? 'C' : 'F') : '-').padEnd(w); }).join(' ')}`.trimEnd());
    lines.push('');
  }
  // cross-mode pairs (--cross-from): sources of one mode replayed on boots of the other
  for (const [key, byCpu] of Object.entries(truth.cross ?? {})) {
    for (const [cpu, m] of Object.entries(byCpu)) {
      const ks = [...new Set([...Object.keys(m), ...Object.values(m).flatMap((row) => Object.keys(row))])].sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
      const w = Math.max(8, ...ks.map((k) => k.length));
      lines.push(`## ${cpu} ${key}`, `${'A \\ B'.padEnd(w)} ${ks.map((k) => k.padEnd(w)).join(' ')}`.trimEnd());
      for (const a of ks) lines.push(`${a.padEnd(w)} ${ks.map((b) => { const r = m[a]?.[b]; return (r ? (r.result === 'clean' ? 'C' : 'F') : '-').padEnd(w); }).join(' ')}`.trimEnd());
      lines.push('');
    }
  }
  writeFileSync(file.replace(/\.json$/, '.txt'), `${lines.join('\n')}`);
}
