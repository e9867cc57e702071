// `check` fail / not-fail against real KVM's replay for every ordered pair of the lab matrix,
// from probed profiles and from version-derived ones. Every disagreement is listed once in
// disagreements.yaml with its cause and the issue that removes it; a disagreement not listed
// fails, and so does a listed one that no longer disagrees: the list only shrinks.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeId } from '../../src/kb/reg-ids.js';
import { ID_REGISTERS, probeKeys } from '../../src/kb/id-registers.js';
import { TMP } from '../helpers.js';
import { agreement, HERE, labRun, pairKey, pairs, readDisagreements, type DisagreementEntry, type LabRun, type Profiles } from './lab.js';

const entries = readDisagreements();
const listedOf = (es: readonly DisagreementEntry[]) => es.flatMap((e) => e.pairs.flatMap((g) => g.profiles.flatMap((m) => g.to.map((to) => ({ key: pairKey(m, { cpu: g.cpu, from: g.from, to }), entry: e })))));
const listed = listedOf(entries);
const isIdReg = (id: string) => {
  const e = decodeId(BigInt(id)).encoding;
  return Boolean(e && e[0] === 3 && e[1] === 0 && e[2] === 0 && e[3]! >= 1 && e[3]! <= 7);
};

const byGeneric = new Map(ID_REGISTERS.map((r) => [probeKeys(r).at(-1)!, r]));
/** The ID-register name of a refused register id, if it is one (CLIDR_EL1, CTR_EL0 included). */
function idRegisterName(id: string): string | undefined {
  const e = decodeId(BigInt(id)).encoding;
  return e ? byGeneric.get(`S${e[0]}_${e[1]}_C${e[2]}_C${e[3]}_${e[4]}`) : undefined;
}

/**
 * Why a pair listed with cause id-register-values is not one (nothing when it is): migcheck
 * passes it, and KVM refused ID registers and nothing else, having known every register.
 */
function notIdRegisterValues(run: Pick<LabRun, 'verdicts'>, key: string): string[] {
  const [, cpu, from, , to] = key.split(' ');
  const p = pairs.find((x) => x.cpu === cpu && x.from === from && x.to === to);
  if (!p) return [`${key}: not a pair of the lab matrix`];
  const verdict = run.verdicts.get(key);
  const why: string[] = [];
  if (verdict === undefined || verdict === 'fail') why.push(`${key}: migcheck says ${verdict ?? 'nothing'}`);
  if (p.cell.notListed.length) why.push(`${key}: the destination did not know ${p.cell.notListed.length} registers`);
  if (!p.cell.refused.length) why.push(`${key}: KVM refused nothing`);
  const other = p.cell.refused.filter((r) => !isIdReg(r.id)).map((r) => r.id);
  if (other.length) why.push(`${key}: KVM refused registers that are no ID registers: ${other.join(', ')}`);
  return why;
}

describe.skipIf(!pairs.length)('check against the replay ground truth', () => {
  it('gives a verdict for every ordered pair, both ways', async () => {
    const run = await labRun();
    expect(run.batchErrors).toEqual([]);
    for (const m of ['probed', 'derived'] as const) for (const p of pairs) expect(run.verdicts.get(pairKey(m, p)), pairKey(m, p)).toMatch(/^(clean|unsafe|fail)$/);
  });

  it('lists each disagreement once, with a cause and the issue that removes it', () => {
    const keys = listed.map((l) => l.key);
    expect(keys.filter((k, i) => keys.indexOf(k) !== i)).toEqual([]);
    for (const e of entries) {
      expect(e.cause).toMatch(/^[a-z-]+$/);
      expect(e.detail.length).toBeGreaterThan(20);
      expect(e.issue.length).toBeGreaterThan(10);
    }
  });

  it.each(['probed', 'derived'] as const)('%s profiles: every disagreement is listed, every listed pair still disagrees', async (m: Profiles) => {
    const run = await labRun();
    const { disagree, agree, total } = agreement(run, m);
    writeFileSync(join(TMP, `ground-truth-${m}.json`), JSON.stringify({ agree, total, disagree }));
    const mine = new Set(listed.map((l) => l.key).filter((k) => k.startsWith(`${m} `)));
    expect(disagree.filter((k) => !mine.has(k)), 'disagreements not in test/ground-truth/disagreements.yaml').toEqual([]);
    expect([...mine].filter((k) => !disagree.includes(k)), 'listed in disagreements.yaml but now agreeing: remove them').toEqual([]);
  });

  it('a disagreement blamed on ID-register values is one: migcheck passes it, KVM refused only ID registers, none unlisted', async () => {
    const run = await labRun();
    expect(listed.filter((x) => x.entry.cause === 'id-register-values').flatMap((l) => notIdRegisterValues(run, l.key))).toEqual([]);
  });

  // disagreements.yaml is empty today, so the check above runs on nothing: it is shown here
  // on entries written as that file's are, against the real matrix, to catch what it must
  it('the id-register-values check refuses entries that are none and accepts one that is', async () => {
    const run = await labRun();
    const entry = (cpu: string, from: string, to: string): DisagreementEntry => ({ cause: 'id-register-values', detail: 'synthetic', issue: 'synthetic', pairs: [{ profiles: ['probed', 'derived'], cpu, from, to: [to] }] });
    const keysOf = (p: (typeof pairs)[number]) => listedOf([entry(p.cpu, p.from, p.to)]).map((l) => l.key);
    const onlyIds = (p: (typeof pairs)[number]) => p.cell.notListed.length === 0 && p.cell.refused.length > 0 && p.cell.refused.every((r) => isIdReg(r.id));
    // a pair KVM replayed cleanly: nothing refused (and migcheck does not fail it)
    const clean = pairs.find((p) => p.cell.result !== 'fail' && p.cell.refused.length === 0)!;
    for (const k of keysOf(clean)) expect(notIdRegisterValues(run, k).join('\n'), k).toMatch(/KVM refused nothing/);
    // a pair refused on ID registers alone, which migcheck fails too: an agreement
    const idFail = pairs.find(onlyIds)!;
    for (const k of keysOf(idFail)) expect(notIdRegisterValues(run, k).join('\n'), k).toMatch(/migcheck says fail/);
    // the same pair had migcheck passed it: exactly the disagreement the cause names
    for (const k of keysOf(idFail)) expect(notIdRegisterValues({ verdicts: new Map([[k, 'clean']]) }, k), k).toEqual([]);
    // a pair whose destination did not know some register is no ID-value disagreement
    const unlisted = pairs.find((p) => p.cell.notListed.length > 0)!;
    expect(notIdRegisterValues({ verdicts: new Map([[keysOf(unlisted)[0]!, 'clean']]) }, keysOf(unlisted)[0]!).join('\n')).toMatch(/did not know/);
    // nor a name outside the matrix
    expect(notIdRegisterValues(run, listedOf([entry('no-cpu', '6.1', '6.12')])[0]!.key)).toEqual([expect.stringMatching(/not a pair of the lab matrix/)]);
  });

  it.each(['probed', 'derived'] as const)('%s profiles: id-registers names the ID registers KVM refused, where KVM refused only ID registers', async (m: Profiles) => {
    const run = await labRun();
    const wrong: string[] = [];
    for (const p of pairs.filter((x) => x.cell.notListed.length === 0)) {
      const kvm = [...new Set(p.cell.refused.map((r) => idRegisterName(r.id)))].sort();
      if (kvm.some((r) => r === undefined)) continue;
      const ours = [...(run.idRefused.get(pairKey(m, p)) ?? [])].filter((r) => !r.startsWith('DEMUX_CCSIDR_')).sort();
      if (JSON.stringify(ours) !== JSON.stringify(kvm)) wrong.push(`${pairKey(m, p)}: KVM refused ${kvm.join(', ') || 'nothing'}, id-registers names ${ours.join(', ') || 'nothing'}`);
    }
    expect(wrong).toEqual([]);
  });

  it('covers kvm-arm.mode=nvhe: the nVHE captures among themselves and every VHE <-> nVHE pair, which KVM and check both fail, on ID_AA64MMFR1_EL1 alone between the same kernel', async () => {
    const run = await labRun();
    const nvhe = (k: string) => k.endsWith('-nvhe');
    const same = pairs.filter((p) => nvhe(p.from) && nvhe(p.to));
    const cross = pairs.filter((p) => nvhe(p.from) !== nvhe(p.to));
    expect(same.length).toBeGreaterThan(0);
    // both directions, for every CPU model with nVHE captures
    for (const cpu of new Set(same.map((p) => p.cpu))) {
      expect(cross.some((p) => p.cpu === cpu && nvhe(p.to)), `${cpu} vhe>nvhe`).toBe(true);
      expect(cross.some((p) => p.cpu === cpu && nvhe(p.from)), `${cpu} nvhe>vhe`).toBe(true);
    }
    for (const p of cross) {
      expect(p.cell.result, `${p.cpu} ${p.from} -> ${p.to}`).toBe('fail');
      for (const m of ['probed', 'derived'] as const) expect(run.verdicts.get(pairKey(m, p)), pairKey(m, p)).toBe('fail');
      if (p.from.replace(/-nvhe$/, '') !== p.to.replace(/-nvhe$/, '')) continue;
      expect(p.cell.notListed).toEqual([]);
      expect(p.cell.refused.map((r) => idRegisterName(r.id))).toEqual(['ID_AA64MMFR1_EL1']);
      for (const m of ['probed', 'derived'] as const) expect(run.idRefused.get(pairKey(m, p)), pairKey(m, p)).toEqual(['ID_AA64MMFR1_EL1']);
    }
  });

  it('the README states the agreement figures (node scripts/agreement.mjs writes them)', async () => {
    const run = await labRun();
    const readme = readFileSync(join(HERE, '..', '..', 'README.md'), 'utf8');
    for (const m of ['probed', 'derived'] as const) {
      const { agree, total } = agreement(run, m);
      expect(readme).toContain(`<!-- agreement:${m} -->${agree} of ${total}<!-- /agreement -->`);
    }
  });
});
