import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../../profile/paths.js';
import type { Command } from '../context.js';

export const schema: Command<{ kind: 'host' | 'guest' | 'fleet' }> = {
  command: 'schema [kind]',
  describe: 'Print the JSON Schema of a profile kind (for editors: yaml-language-server $schema)',
  examples: ['schema host > host.schema.json', 'schema fleet'],
  positional: { kind: { choices: ['host', 'guest', 'fleet'], default: 'host', describe: 'profile kind' } },
  async run(args, ctx) {
    const file = join(packageRoot(), 'schemas', `${args.kind}.schema.json`);
    ctx.readsFile(file);
    await ctx.emit(readFileSync(file, 'utf8'));
    return 0;
  },
};
