import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // scratch space of the tests themselves: drafts and FIFOs there are not tests
    exclude: ['test/.tmp/**', 'node_modules/**'],
    testTimeout: 20000,
    // one module graph per worker, not one per test file: importing src again (the kb, the
    // precompiled validators, yaml, yargs) for each of the ~110 files was most of a run's
    // time. The files share nothing but src's own caches: each builds its own Resolver,
    // names its temp files by pid and counter, and restores what it changes (env, spies).
    isolate: false,
    // CI also writes a JSON report so .ci/run can print a plain "N passed, N failed" line
    reporters: process.env.CI ? ['default', 'json'] : ['default'],
    outputFile: { json: 'test/.tmp/vitest.json' },
  },
});
