/** Where a CLI run stands, for the signal handler in main.ts. */
export const runPhase = { outputWritten: false, outputDir: "" };
