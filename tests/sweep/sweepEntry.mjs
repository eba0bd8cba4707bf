// The `sweep` and `worker` commands as a child process, for the tests, until runCli registers
// them (then the tests spawn bin/exitlab.js instead). Runs the compiled dist/ like bin/ does.
import yargs from "yargs";

const { registerSweepCommands } = await import("../../dist/cli/sweep/index.js");
const { ExitlabError, exitCodeFor } = await import("../../dist/engine/index.js");
const io = { out: (text) => void process.stdout.write(text), err: (text) => void process.stderr.write(text) };
let exitCode = 0;
try {
  await registerSweepCommands(yargs(process.argv.slice(2)), process.env, io, (code) => { exitCode = code; })
    .strict().exitProcess(false).version(false)
    .fail((message, error) => { throw error ?? Object.assign(new Error(message), { usage: true }); })
    .parseAsync();
} catch (error) {
  const known = error instanceof ExitlabError || error?.usage === true;
  io.err(`exitlab: ${error instanceof ExitlabError ? error.oneLine() : known ? error.message : error?.stack ?? String(error)}\n`);
  exitCode = error instanceof ExitlabError ? exitCodeFor(error) : error?.usage === true ? 2 : 1;
}
process.exitCode = exitCode;
