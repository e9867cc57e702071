import { InputError } from '../../profile/diagnostics.js';
import { validateJson, validateJunit, validateSarif, type FileResult } from '../../render/validate.js';
import type { Command } from '../context.js';
import { VERSION } from '../version.js';


export const validate: Command<{ files: string[] }> = {
  command: 'validate <files..>',
  describe: 'Validate Host, Guest and Fleet files (a Fleet with every host and guest it names); errors as file:line:col: path: message',
  positional: { files: { type: 'string', array: true, describe: 'Host, Guest or Fleet files' } },
  examples: ['validate hosts/*.yaml guests/*.yaml', 'validate profiles/examples/fleet/eu-west.yaml --format sarif -o migcheck.sarif'],
  junit: true,
  sarif: true,
  async run(args, ctx) {
    const results: FileResult[] = [];
    for (const file of args.files) {
      try {
        results.push({ file, kind: ctx.resolver.validateFile(file), problems: [] });
      } catch (err) {
        if (!(err instanceof InputError)) throw err;
        results.push({ file, problems: err.diagnostics });
      }
    }
    const bad = results.flatMap((r) => r.problems);
    // machine formats list every problem on stdout (or --output) as well, for the CI step that
    // reads them; the located lines still go to stderr and the exit is still 3
    const machine = { json: validateJson, junit: validateJunit, sarif: (r: readonly FileResult[]) => validateSarif(r, VERSION) }[ctx.format as 'json'];
    if (machine) await ctx.emit(machine(results));
    // a failing run is bad input, reported as any other (exit 3): no "ok" lines that read as
    // success, nor an --output file written over
    if (bad.length) throw new InputError(bad);
    if (!machine) await ctx.emit(results.map((r) => `${r.file}: ok (${r.kind})\n`).join(''));
    return 0;
  },
};
