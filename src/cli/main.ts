// The full CLI: yargs wiring only. main() returns the exit code and never calls
// process.exit, so tests drive it in-process; bin/migcheck runs it (dist/cli.mjs).
import yargs, { type Argv } from 'yargs';
import { UsageError } from '../profile/diagnostics.js';
import { reportError } from './errors.js';
import { processIo } from './io.js';
import { GLOBAL_OPTIONS } from './options.js';
import { checkArgv, expandArgv } from './argv.js';
import { Context, type Command, type GlobalArgs, type Io } from './context.js';
import { check } from './commands/check.js';
import { table } from './commands/table.js';
import { explain } from './commands/explain.js';
import { validate } from './commands/validate.js';
import { schema } from './commands/schema.js';
import { profiles } from './commands/profiles.js';
import { matrix } from './commands/matrix.js';
import { baseline } from './commands/baseline.js';
import { plan } from './commands/plan.js';
import { fence } from './commands/fence.js';
import { probe } from './commands/probe.js';

declare const MIGCHECK_VERSION: string | undefined;
const VERSION = typeof MIGCHECK_VERSION === 'string' ? MIGCHECK_VERSION : '0.0.0-dev';
export const COMMANDS: Command<never>[] = [check, table, matrix, baseline, plan, fence, explain, validate, schema, profiles, probe] as Command<never>[];

export async function main(argv: readonly string[], io: Io = processIo()): Promise<number> {
  let code = 0;
  // spelled out before the command is known: short options are global only and an option
  // name means one thing in every command (a test keeps both so)
  const args = expandArgv(argv, Object.assign({}, GLOBAL_OPTIONS, ...COMMANDS.map((c) => c.options)));
  const cli: Argv = yargs(args)
    .scriptName('migcheck')
    .usage('$0 <command> [options]\n\nPredicts whether live-migrating an arm64 KVM guest fails, succeeds unsafely or succeeds cleanly.')
    .options(GLOBAL_OPTIONS)
    // options are flat: --from.x is an unknown option, never an object under --from
    .parserConfiguration({ 'dot-notation': false })
    // before yargs validates: a repeated option would reach it as a list
    .middleware((parsed) => {
      const c = COMMANDS.find((c) => c.command.split(' ')[0] === parsed._[0]);
      // help and --version answer whatever else is on the line
      if (c && !parsed.help && !parsed.version) checkArgv(args, { ...GLOBAL_OPTIONS, ...c.options });
    }, true)
    .strict()
    .demandCommand(1, 'Specify a command, e.g. migcheck check --from a.yaml --to b.yaml')
    .recommendCommands()
    .exitProcess(false)
    .fail((msg, err) => {
      throw err ?? new UsageError(msg);
    })
    .help()
    .alias('h', 'help')
    .version(VERSION)
    .wrap(Math.min(100, process.stdout.columns || 100));
  for (const c of COMMANDS) {
    cli.command({
      command: c.command,
      describe: c.describe,
      builder: (y: Argv) => {
        for (const [k, v] of Object.entries(c.positional ?? {})) y.positional(k, v);
        return y.options(c.options ?? {});
      },
      handler: async (args) => {
        if (args.format === 'html' && !c.html) throw new UsageError(`--format html is offered by the reports (table, matrix, baseline, plan, fence), not by ${c.command.split(' ')[0]}`);
        code = await c.run(args as never, new Context(io, args as unknown as GlobalArgs));
      },
    });
  }
  try {
    await cli.parseAsync();
    return code;
  } catch (err) {
    return reportError(err, io);
  }
}
