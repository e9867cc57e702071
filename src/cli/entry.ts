// The bin's entry (dist/migcheck.mjs). A plain `check` runs from dist/check.mjs, which has
// no yargs and nothing of the reports; everything else loads the full CLI (dist/cli.mjs).
// Each is its own esbuild bundle, loaded only when needed.
import { processIo } from './io.js';

type Runner = (argv: readonly string[], io: ReturnType<typeof processIo>) => Promise<number | undefined>;

// a reader that stops early (`| head`) is not an error
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw err;
});

const argv = process.argv.slice(2);
const io = processIo();
const load = async (file: string, name: string) => ((await import(new URL(file, import.meta.url).href)) as Record<string, Runner>)[name]!;
let code = argv[0] === 'check' ? await (await load('./check.mjs', 'fastCheck'))(argv, io) : undefined;
code ??= await (await load('./cli.mjs', 'main'))(argv, io);
process.exitCode = code;
