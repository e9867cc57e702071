import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../../profile/paths.js';
import type { Command } from '../context.js';

export const schema: Command<{ kind: 'host' | 'guest' | 'fleet' }> = {
  command: 'schema [kind]',
  describe: 'Print the JSON Schema of a profile kind (for editors: yaml-language-server $schema)',
  positional: { kind: { choices: ['host', 'guest', 'fleet'], default: 'host', describe: 'profile kind' } },
  run(args, ctx) {
    ctx.emit(readFileSync(join(packageRoot(), 'schemas', `${args.kind}.schema.json`), 'utf8'));
    return 0;
  },
};
