// The options every command takes, declared once: yargs reads them in main.ts, and the
// yargs-free `check` (check-fast.ts) derives its parser from them and from check's own.
import type { Options } from 'yargs';

export const GLOBAL_OPTIONS = {
  format: { alias: 'f', choices: ['text', 'json', 'markdown', 'html', 'junit', 'sarif', 'kubernetes', 'openstack'], default: 'text', describe: 'output format (html: the reports; junit: check --batch, validate and the reports with --fail-on; sarif: validate; kubernetes, openstack: pools)' },
  output: { alias: 'o', type: 'string', describe: 'write the result to FILE (atomically)' },
  // one directory an occurrence: `--profiles DIR a b` leaves a and b to the command
  profiles: { type: 'string', array: true, nargs: 1, describe: 'extra profile search directory, searched before the shipped profiles (MIGCHECK_PROFILES=DIR:DIR: after these)' },
  quiet: { alias: 'q', type: 'boolean', describe: 'no notes on stderr' },
  color: { type: 'boolean', describe: 'colour the output (--no-color to disable; NO_COLOR is honoured)' },
} satisfies Record<string, Options>;
