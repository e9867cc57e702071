import { InputError, formatDiagnostic } from '../../profile/diagnostics.js';
import type { Command } from '../context.js';

export const validate: Command<{ files: string[] }> = {
  command: 'validate <files..>',
  describe: 'Validate Host and Guest profiles; errors as file:line:col: path: message',
  positional: { files: { type: 'string', array: true, describe: 'profile files' } },
  run(args, ctx) {
    let bad = 0;
    const ok: string[] = [];
    for (const file of args.files) {
      try {
        ok.push(`${file}: ok (${ctx.resolver.validateFile(file)})`);
      } catch (err) {
        if (!(err instanceof InputError)) throw err;
        bad++;
        for (const d of err.diagnostics) ctx.io.stderr.write(`${formatDiagnostic(d)}\n`);
      }
    }
    if (ctx.format === 'json') ctx.emit(`${JSON.stringify({ valid: ok.length, invalid: bad }, null, 2)}\n`);
    else ctx.emit(ok.map((l) => `${l}\n`).join(''));
    return bad ? 3 : 0;
  },
};
