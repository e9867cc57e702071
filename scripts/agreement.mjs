// Regenerate the ground-truth agreement figures in README.md (between the
// <!-- ground-truth:agreement --> markers): every lab capture probed with `probe --root DIR
// --kvm` and written as a version-derived Host (linux-<version>, captured MIDR,
// test/ground-truth/cpu-models.yaml), every ordered pair of test/fixtures/kvm/truth.json
// (and of truth-nvhe.json, with its VHE <-> nVHE cross pairs) checked both ways with `check --batch`, fail / not-fail compared with the replay.
// test/ground-truth/ does the same from src/ and checks the README says it. Run:
//   node scripts/agreement.mjs
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { derivedHost } from '../test/ground-truth/derived-host.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const KVM = join(root, 'test', 'fixtures', 'kvm');
const GT = join(root, 'test', 'ground-truth');
execFileSync(process.execPath, [join(root, 'scripts', 'build.mjs')], { stdio: 'inherit' });
const { main } = await import(join(root, 'dist', 'cli.cjs'));

async function cli(...argv) {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, { stdout: { write: (s) => (stdout += s) }, stderr: { write: (s) => (stderr += s) }, stdoutIsTTY: false, env: {} });
  return { code, stdout, stderr };
}

const json = (f) => JSON.parse(readFileSync(f, 'utf8'));
// the VHE matrix and, if present, the nVHE one with its cross-mode pairs
const truths = ['truth.json', 'truth-nvhe.json'].filter((f) => existsSync(join(KVM, f))).map((f) => json(join(KVM, f)));
const label = (kernel, mode) => (mode === 'vhe' ? kernel : `${kernel}-${mode}`);
const models = parse(readFileSync(join(GT, 'cpu-models.yaml'), 'utf8')).models;
const dirs = readdirSync(KVM, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name);
const labs = new Map(dirs.map((d) => [d, json(join(KVM, d, 'capture', 'lab.json'))]).filter(([, l]) => truths.some((t) => t.mode === l.mode)));
const dirOf = (cpu, kernel) => [...labs].find(([, l]) => l.cpu === cpu && label(l.kernel, l.mode) === kernel)[0];

const tmp = mkdtempSync(join(tmpdir(), 'migcheck-agreement-'));
try {
  const files = { probed: new Map(), derived: new Map() };
  for (const m of Object.keys(files)) mkdirSync(join(tmp, m));
  for (const [dir, lab] of labs) {
    const r = await cli('probe', '--root', join(KVM, dir), '--kvm', '--vmm', 'qemu-10.0', '--name', dir);
    if (r.code !== 0) throw new Error(`probe ${dir}: exit ${r.code}: ${r.stderr}`);
    files.probed.set(dir, join(tmp, 'probed', `${dir}.yaml`));
    writeFileSync(files.probed.get(dir), r.stdout);
    const doc = derivedHost(dir, lab, json(join(KVM, dir, 'capture', 'kvm-probe.json')), models[lab.cpu]);
    files.derived.set(dir, join(tmp, 'derived', `${dir}.yaml`));
    writeFileSync(files.derived.get(dir), JSON.stringify(doc));
  }
  const pairs = truths.flatMap((t) => [
    ...Object.entries(t.cpus).flatMap(([cpu, m]) => m.kernels.flatMap((a) => m.kernels.map((b) => ({ cpu, a: label(a, t.mode), b: label(b, t.mode), result: m.matrix[a][b].result })))),
    ...Object.entries(t.cross ?? {}).flatMap(([key, byCpu]) => {
      const [fm, tm] = key.split('>');
      return Object.entries(byCpu).flatMap(([cpu, m]) => Object.entries(m).flatMap(([a, row]) => Object.entries(row).map(([b, c]) => ({ cpu, a: label(a, fm), b: label(b, tm), result: c.result }))));
    }),
  ]);
  const figures = {};
  for (const m of ['probed', 'derived']) {
    const batch = join(tmp, `${m}.jsonl`);
    writeFileSync(batch, pairs.map((p, i) => JSON.stringify({ id: i, from: files[m].get(dirOf(p.cpu, p.a)), to: files[m].get(dirOf(p.cpu, p.b)) })).join('\n') + '\n');
    const r = await cli('check', '--batch', batch, '--format', 'json');
    if (r.code > 2) throw new Error(`check --batch (${m}): exit ${r.code}: ${r.stderr}`);
    const verdicts = r.stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l));
    const agree = verdicts.filter((v) => (v.verdict === 'fail') === (pairs[v.id].result === 'fail')).length;
    figures[m] = { agree, total: pairs.length };
  }
  const listed = parse(readFileSync(join(GT, 'disagreements.yaml'), 'utf8')).disagreements ?? [];
  const byCause = (m) => {
    const counts = new Map();
    for (const e of listed) for (const g of e.pairs) if (g.profiles.includes(m)) counts.set(e.cause, (counts.get(e.cause) ?? 0) + g.to.length);
    return [...counts].map(([c, n]) => `${n} ${c}`).join(', ') || 'none';
  };
  const row = (m, label) => `| ${label} | <!-- agreement:${m} -->${figures[m].agree} of ${figures[m].total}<!-- /agreement --> | ${byCause(m)} |`;
  const block = [
    '| profiles | pairs where `check` fail / not-fail = the replay | disagreements (test/ground-truth/disagreements.yaml) |',
    '|---|---|---|',
    row('probed', 'probed (`probe --root <capture> --kvm`)'),
    row('derived', 'version-derived (`kernel: linux-<version>`, captured MIDR)'),
  ].join('\n');
  const readmeFile = join(root, 'README.md');
  const readme = readFileSync(readmeFile, 'utf8');
  const re = /(<!-- ground-truth:agreement -->\n)(?:[\s\S]*?\n)?(<!-- \/ground-truth:agreement -->)/;
  if (!re.test(readme)) throw new Error('README.md has no <!-- ground-truth:agreement --> … <!-- /ground-truth:agreement --> block');
  writeFileSync(readmeFile, readme.replace(re, `$1${block}\n$2`));
  console.log(`README.md updated: probed ${figures.probed.agree}/${figures.probed.total}, version-derived ${figures.derived.agree}/${figures.derived.total}`);
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
