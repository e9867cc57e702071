// Reasons group findings by rule and note with the subject taken out ({}): a note that names
// its subject is one template for every subject, and a note that does not name the subject it
// comes with stays as it is, even when the same note came before with a subject it names.
import { describe, expect, it } from 'vitest';
import type { Assessment, Finding } from '../../src/model.js';
import { reasons } from '../../src/fleet/cell.js';

const finding = (subject: string, note: string): Finding => ({ rule: 'register-list', severity: 'fail', subject, note, message: note, reference: 'r' });
const assessment = (findings: Finding[]): Assessment => ({ verdict: 'fail', source: 'a', destination: 'b', guest: 'g', findings });

describe('reason templates', () => {
  it('take the subject out of a note that names it, whatever subject came first', () => {
    const named = reasons(assessment([finding('TCR2_EL1', 'the destination does not know TCR2_EL1'), finding('PIR_EL1', 'the destination does not know PIR_EL1')]));
    expect(named).toEqual([{ rule: 'register-list', subjects: ['TCR2_EL1', 'PIR_EL1'], template: 'the destination does not know {}' }]);
  });

  it('keep a note that does not name its subject, after the same note with one it names', () => {
    const note = 'POR_EL1 is not on the destination';
    const r = reasons(assessment([finding('POR_EL1', note), finding('POR_EL0', note)]));
    expect(r).toEqual([
      { rule: 'register-list', subjects: ['POR_EL1'], template: '{} is not on the destination' },
      { rule: 'register-list', subjects: ['POR_EL0'], template: note },
    ]);
  });
});
