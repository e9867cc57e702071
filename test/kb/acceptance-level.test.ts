import { describe, expect, it } from 'vitest';
import { acceptanceLevel } from '../../src/kb/id-registers.js';

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
