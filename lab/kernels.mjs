// Which cloud-arm64 kernels the archive has now: the newest of every series (X.Y), fetched
// and unpacked. The archive rotates (security and backports suites keep only their newest
// ABI, indexes may name files already gone), so a package that cannot be fetched is skipped
// with a note and the next newest of its series is tried.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { unpackSome } from './apt.mjs';

/** "6.12.118-1" -> "6.12.118", "7.3~rc7-1~exp1" -> "7.3-rc7", "5.10.223-1" -> "5.10.223" */
export function upstreamVersion(pkgVersion) {
  const v = pkgVersion.replace(/^\d+:/, '').replace(/-[^-]*$/, '');
  return v.replace(/~(rc\d+)$/, '-$1');
}

/** numeric compare of upstream versions; an -rc sorts before its release */
export function compareKernel(a, b) {
  const parse = (v) => {
    const [main, rc] = v.split('-rc');
    const n = main.split('.').map(Number);
    while (n.length < 3) n.push(0);
    return [...n, rc === undefined ? Infinity : Number(rc)];
  };
  const x = parse(a), y = parse(b);
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return x[i] < y[i] ? -1 : 1;
  return 0;
}

export const series = (v) => v.split('.').slice(0, 2).join('.').replace(/-rc\d+$/, '');

/** Every cloud-arm64 kernel the lists name: [{abi, version, pkgVersion, layout, packages}] newest first. */
export function availableKernels(apt) {
  const names = apt.search('^linux-(image|binary|base)-[0-9].*-cloud-arm64$');
  const set = new Set(names);
  const images = names.filter((n) => /^linux-image-[0-9].*-cloud-arm64$/.test(n));
  if (!images.length) return [];
  const madison = apt.run('apt-cache', ['madison', ...images]);
  const best = new Map();
  for (const line of madison.split('\n')) {
    const [pkg, ver, where] = line.split('|').map((s) => s?.trim());
    if (!pkg || !ver || !/arm64/.test(where ?? '')) continue;
    const prev = best.get(pkg);
    if (!prev || compareKernel(upstreamVersion(ver), upstreamVersion(prev.ver)) > 0) best.set(pkg, { ver, suite: where.split(/\s+/)[1] });
  }
  const out = [];
  for (const [pkg, { ver, suite }] of best) {
    const abi = /^linux-image-(.+)-cloud-arm64$/.exec(pkg)[1];
    // from 6.19 the image package is a meta package: vmlinuz in linux-binary-*, config in linux-base-*
    const binary = `linux-binary-${abi}-cloud-arm64`, base = `linux-base-${abi}-cloud-arm64`;
    const split = set.has(binary);
    out.push({ abi, version: upstreamVersion(ver), pkgVersion: ver, suite, packages: split ? [binary, ...(set.has(base) ? [base] : [])] : [pkg] });
  }
  return out.sort((a, b) => compareKernel(b.version, a.version) || b.abi.localeCompare(a.abi, 'en', { numeric: true }));
}

// <= 6.18: /boot/vmlinuz-<abi>, /boot/config-<abi>; 6.19+: /usr/lib/modules/<abi>/{vmlinuz,config}
const KERNEL_FILES = /^\.\/(boot\/(vmlinuz|config)-.+|usr\/lib\/modules\/[^/]+\/(vmlinuz|config))$/;

function kernelFiles(dir) {
  const boot = join(dir, 'boot');
  const vmlinuz = existsSync(boot) && readdirSync(boot).find((f) => f.startsWith('vmlinuz-'));
  if (vmlinuz) {
    const osrelease = vmlinuz.slice('vmlinuz-'.length);
    const config = join(boot, `config-${osrelease}`);
    return { vmlinuz: join(boot, vmlinuz), config: existsSync(config) ? config : undefined, osrelease };
  }
  const mods = join(dir, 'usr', 'lib', 'modules');
  const abi = existsSync(mods) && readdirSync(mods).find((d) => existsSync(join(mods, d, 'vmlinuz')));
  if (!abi) return undefined;
  const config = join(mods, abi, 'config');
  return { vmlinuz: join(mods, abi, 'vmlinuz'), config: existsSync(config) ? config : undefined, osrelease: abi };
}

/** The newest kernel of each series (optionally only the wanted versions or series), fetched: [{version, vmlinuz, config, ...}] and notes. */
export function fetchKernels(apt, cacheDir, wanted, log) {
  const all = availableKernels(apt);
  const notes = [];
  const bySeries = new Map();
  for (const k of all) {
    const s = series(k.version);
    if (!bySeries.has(s)) bySeries.set(s, []);
    bySeries.get(s).push(k);
  }
  const picked = [];
  for (const [s, list] of bySeries) {
    if (wanted && !wanted.some((w) => w === s || list.some((k) => k.version === w))) continue;
    const order = !wanted || wanted.includes(s) ? list : list.filter((k) => wanted.includes(k.version));
    for (const k of order) {
      try {
        const dir = join(cacheDir, 'kernels', k.version);
        for (const p of k.packages) unpackSome(apt.download(p), dir, KERNEL_FILES);
        const found = kernelFiles(dir);
        if (!found) throw new Error('no vmlinuz in the package (a meta package?)');
        picked.push({ ...k, series: s, ...found });
        break;
      } catch (err) {
        const why = String(err.stderr || err.message).trim().split('\n').pop();
        notes.push(`skip ${k.version} (${k.packages.join(', ')}): ${why}`);
        log(`kernel ${k.version}: skipped: ${why}`);
      }
    }
  }
  return { kernels: picked.sort((a, b) => compareKernel(a.version, b.version)), notes };
}

/** CONFIG_ lines probe reads (stolen time; KVM built in), as a small excerpt */
export function configExcerpt(configPath) {
  if (!configPath || !existsSync(configPath)) return undefined;
  const keep = /^(CONFIG_KVM|CONFIG_SCHED_INFO|CONFIG_SCHEDSTATS|CONFIG_TASK_DELAY_ACCT|CONFIG_ARM64_VHE|CONFIG_ARM64_SVE|CONFIG_ARM64_PTR_AUTH|CONFIG_ARM64_PMEM|CONFIG_HW_PERF_EVENTS|CONFIG_ARM_PMU|CONFIG_MITIGATE_SPECTRE_BRANCH_HISTORY|CONFIG_ARM64_ERRATUM_[0-9]+)=/;
  const lines = readFileSync(configPath, 'utf8').split('\n').filter((l) => keep.test(l));
  return `# excerpt of the kernel package's config: the options migcheck probe reads\n${lines.join('\n')}\n`;
}
