import { InputError, type Diagnostic } from '../../profile/diagnostics.js';
import type { Command } from '../context.js';

export const validate: Command<{ files: string[] }> = {
  command: 'validate <files..>',
  describe: 'Validate Host, Guest and Fleet files (a Fleet with every host and guest it names); errors as file:line:col: path: message',
  positional: { files: { type: 'string', array: true, describe: 'Host, Guest or Fleet files' } },
  examples: ['validate hosts/*.yaml guests/*.yaml', 'validate profiles/examples/fleet/eu-west.yaml'],
  async run(args, ctx) {
    const bad: Diagnostic[] = [];
    const ok: string[] = [];
    for (const file of args.files) {
      try {
        ok.push(`${file}: ok (${ctx.resolver.validateFile(file)})`);
      } catch (err) {
        if (!(err instanceof InputError)) throw err;
        bad.push(...err.diagnostics);
      }
    }
    // a failing run is bad input, reported as any other (exit 3): no "ok" lines that read as
    // success, nor an --output file written over
    if (bad.length) throw new InputError(bad);
    if (ctx.format === 'json') await ctx.emit(`${JSON.stringify({ valid: ok.length, invalid: 0 }, null, 2)}\n`);
    else await ctx.emit(ok.map((l) => `${l}\n`).join(''));
    return 0;
  },
};
