import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // scratch space of the tests themselves: drafts and FIFOs there are not tests
    exclude: ['test/.tmp/**', 'node_modules/**'],
    testTimeout: 20000,
    // CI also writes a JSON report so .ci/run can print a plain "N passed, N failed" line
    reporters: process.env.CI ? ['default', 'json'] : ['default'],
    outputFile: { json: 'test/.tmp/vitest.json' },
  },
});
