import { assess } from '../../solver/assess.js';
import { checkJson, checkMarkdown, checkRecord, checkText } from '../../render/check.js';
import { UsageError } from '../../profile/diagnostics.js';
import { loadBatch } from '../batch.js';
import { batchJunit } from '../../render/junit.js';
import type { Command, Context } from '../context.js';

const EXIT = { clean: 0, unsafe: 1, fail: 2 } as const;

type CheckArgs = { from?: string; to?: string; guest: string; allowUnsafe: boolean; batch?: string };

const exitFor = (verdict: keyof typeof EXIT, allowUnsafe: boolean) => (verdict === 'unsafe' && allowUnsafe ? 0 : EXIT[verdict]);

/** One JSON verdict per input line, in input order; exit = the worst line's. */
async function runBatch(args: CheckArgs, ctx: Context): Promise<number> {
  if (ctx.format !== 'text' && ctx.format !== 'json' && ctx.format !== 'junit') throw new UsageError('check --batch writes JSON lines (--format json, or left out) or JUnit XML (--format junit)');
  if (args.batch !== '-') ctx.readsFile(args.batch!);
  const items = loadBatch(args.batch!, ctx.resolver);
  const results = items.map(({ line, id, from, to, guest }) => {
    const a = assess(from, to, guest);
    return { line, ...(id !== undefined ? { id } : {}), a, exit: exitFor(a.verdict, args.allowUnsafe) };
  });
  if (ctx.format === 'junit') await ctx.emit(batchJunit(results));
  else await ctx.emit(results.map(({ line, id, a, exit }) => `${JSON.stringify({ line, ...(id !== undefined ? { id } : {}), ...checkRecord(a), exit })}\n`).join(''));
  return results.reduce((n, r) => Math.max(n, r.exit), 0);
}

export const check: Command<CheckArgs> = {
  command: 'check',
  junit: true,
  describe: 'Gate one migration: exit 0 clean, 1 unsafe, 2 fail, 3 bad input (--batch: many, as JSON lines)',
  examples: ["check --from 'kernel=linux-6.6,vmm=qemu-9.2,cpu=graviton3' --to 'kernel=linux-6.12,vmm=qemu-9.2,cpu=graviton3'", 'check --from altra-6.6 --to altra-6.12 --guest pinned --format json'],
  options: {
    from: { type: 'string', describe: "source host: a Host file, a shipped name, or inline 'kernel=linux-6.6,vmm=qemu-9.2,cpu=graviton3' (required unless --batch)" },
    to: { type: 'string', describe: 'destination host, as --from (required unless --batch)' },
    guest: { type: 'string', default: 'default', describe: "guest configuration: a Guest file, a shipped name, inline 'psciVersion=1.0,stolenTime=false', or default (every setting the host's)" },
    'allow-unsafe': { type: 'boolean', default: false, describe: 'exit 0 for an unsafe verdict' },
    batch: { type: 'string', describe: 'FILE (or - for stdin) of JSON lines {"from", "to", "guest"?, "id"?}: one JSON verdict per line; exit is the worst' },
  },
  async run(args, ctx) {
    if (args.batch !== undefined) {
      if (args.from || args.to) throw new UsageError('--batch takes the pairs from its file; drop --from/--to');
      return runBatch(args, ctx);
    }
    if (!args.from || !args.to) throw new UsageError('check needs --from and --to (or --batch FILE)');
    const r = ctx.resolver;
    const result = assess(r.host(args.from, '--from'), r.host(args.to, '--to'), r.guest(args.guest, '--guest'));
    await ctx.render({ text: () => checkText(result, ctx.style), json: () => checkJson(result, exitFor(result.verdict, args.allowUnsafe)), markdown: () => checkMarkdown(result) });
    return exitFor(result.verdict, args.allowUnsafe);
  },
};
