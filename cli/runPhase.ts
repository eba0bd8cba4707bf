/** Where a CLI run stands, for the signal handler in main.ts. */
export const runPhase = { outputWritten: false, outputDir: "" };

/** Records that a command's output folder (or file) is complete. */
export function markWritten(out: string): void {
  runPhase.outputWritten = true;
  runPhase.outputDir = out;
}
