import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../../profile/paths.js';
import type { Command } from '../context.js';

/** the commands whose --format json output has a schema: `schema output-NAME` */
export const OUTPUT_SCHEMAS = ['check', 'check-batch', 'table', 'matrix', 'baseline', 'plan', 'pools', 'fence', 'validate', 'explain', 'profiles'] as const;
const KINDS = ['host', 'guest', 'fleet', ...OUTPUT_SCHEMAS.map((o) => `output-${o}` as const)];

export const schema: Command<{ kind: (typeof KINDS)[number] }> = {
  command: 'schema [kind]',
  describe: 'Print the JSON Schema of a profile kind (for editors: yaml-language-server $schema), or of a command\'s --format json output (output-check, output-matrix, …)',
  examples: ['schema host > host.schema.json', 'schema output-matrix'],
  positional: { kind: { choices: KINDS, default: 'host', describe: 'profile kind, or output-COMMAND' } },
  async run(args, ctx) {
    const file = args.kind.startsWith('output-')
      ? join(packageRoot(), 'schemas', 'output', `${args.kind.slice('output-'.length)}.schema.json`)
      : join(packageRoot(), 'schemas', `${args.kind}.schema.json`);
    ctx.readsFile(file);
    await ctx.emit(readFileSync(file, 'utf8'));
    return 0;
  },
};
