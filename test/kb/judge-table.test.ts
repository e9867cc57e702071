// id-registers reads a register's judgements as one table per release and register family
// (src/kb/id-registers.ts judgeTable, matched entry by entry for speed); each must be what
// judgeOf gives field by field, on every knowledge-base release and every point release an
// acceptance entry starts or ends at, for every ID register and the CCSIDR demux.
import { describe, expect, it } from 'vitest';
import { kb } from '../../src/kb/data.js';
import { fieldsOf, hostJudged, ID_REGISTERS, judgeOf, judgeTable } from '../../src/kb/id-registers.js';
import { kernelReleases } from '../../src/kb/kernels.js';

const bounds = kb.idRegisters.acceptance.flatMap((a) => [a.since, a.until]).filter((v): v is string => v !== undefined);
const releases = [...new Set([...kernelReleases, ...bounds, ...bounds.map((v) => `${v}.1`), '4.14', '99.0'])];
const registers = [...ID_REGISTERS, 'DEMUX_CCSIDR_0', 'DEMUX_CCSIDR_5'];

describe('judgeTable = judgeOf per field', () => {
  it('on every release and register', () => {
    let n = 0;
    for (const release of releases)
      for (const reg of registers) {
        const want = fieldsOf(reg).map((f) => judgeOf(release, reg, f.name));
        const got = judgeTable(release, reg);
        expect(got.map((j) => [j.judge, j.entry]), `${release} ${reg}`).toEqual(want.map((j) => [j.judge, j.entry]));
        n += got.length;
      }
    expect(n).toBeGreaterThan(1000);
  });

  // id-registers keys and compares the host's own value only for registers hostJudged names
  it("hostJudged names every register whose table reads the host's value", () => {
    let n = 0;
    for (const release of releases)
      for (const reg of registers)
        if (judgeTable(release, reg).some((j) => j.judge === 'host')) {
          expect(hostJudged(reg), `${release} ${reg}`).toBe(true);
          n++;
        }
    expect(n).toBeGreaterThan(0);
  });
});
