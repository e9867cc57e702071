import { describe, expect, it } from 'vitest';
import { acceptanceLevel, idEra } from '../../src/kb/id-registers.js';

// Acceptance fixes reach stable series at a point release (3f9eacf4f070 in 6.12.60), so the
// destination's writable fields are judged on its stable version, not its series.
describe('acceptanceLevel', () => {
  it.each([
    [{ release: '6.12', version: '6.12' }, '6.12'],
    [{ release: '6.12', version: '6.12.60' }, '6.12.60'],
    [{ release: '6.12', version: '6.12.48+deb13-cloud-arm64' }, '6.12.48'],
    [{ release: '6.1', version: '6.1.192-3' }, '6.1.192'],
    [{ release: '5.15', version: '5.15.0-91-generic' }, '5.15.0'],
    [{ release: '6.1', version: '6.1.0-13-arm64' }, '6.1.0'],
    [{ release: '6.12', version: 'custom-build' }, '6.12'],
    [{ release: '6.12', version: '6.13.1' }, '6.12'],
  ])('%o -> %s', (kernel, level) => expect(acceptanceLevel(kernel)).toBe(level));
});

// Exposure and boot-option entries are read at the same level, so two hosts of one series on
// either side of a backport (XS in 6.12.2, MPAM hidden in 6.12.6) are not grouped as one.
describe('idEra at a stable point release', () => {
  const era = (version: string) => idEra('6.12', '10.0', acceptanceLevel({ release: '6.12', version }));
  it.each([
    ['6.12.1', '6.12.2'],
    ['6.12.5', '6.12.6'],
  ])('%s and %s differ', (a, b) => expect(era(a)).not.toBe(era(b)));
  it('6.12.2 and 6.12.5 agree (no ID-register entry between them)', () => expect(era('6.12.2')).toBe(era('6.12.5')));
  it('bare 6.12 reads as 6.12.0', () => expect(era('6.12')).toBe(era('6.12.0')));
});
