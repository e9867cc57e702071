// fleet add and validate read a file's kind, then resolve it as that kind: Resolver.document
// keeps the document, so host() reads, parses and validates each file once. Every file a
// resolver reads goes through its load(), which the tests count (a spy on the prototype: the
// test workers share one module graph, so a module mock would depend on file order).
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Resolver } from '../../src/profile/resolve.js';

describe('Resolver.document', () => {
  afterEach(() => vi.restoreAllMocks());
  // validate reads a file's kind first, then resolves it as that kind: one load either way
  it.each(['test/fixtures/hosts/n1-6.6.yaml', 'test/fixtures/hosts/altra-n1-ubuntu-5.15/expected/host-kvm.yaml'])('then host() or validateFile() of %s: one load', (file) => {
    const load = vi.spyOn(Resolver.prototype as unknown as { load: (file: string) => unknown }, 'load');
    const r = new Resolver();
    const abs = join(process.cwd(), file);
    expect(r.document(abs).kind).toBe('Host');
    r.host(abs);
    expect(load.mock.calls.filter(([f]) => f === abs)).toHaveLength(1);
    load.mockClear();
    expect(new Resolver().validateFile(abs)).toBe('Host');
    expect(load.mock.calls.filter(([f]) => f === abs)).toHaveLength(1);
  });
});
