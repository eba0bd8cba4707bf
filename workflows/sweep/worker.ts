/**
 * The piscina worker script: each thread of a sweep's pool loads this file (compiled, as
 * dist/workflows/sweep/worker.js) and runs one cell per task.
 */
import { guardProcessExit } from "./exitGuard.js";
import { runCellTask } from "./cellRunner.js";

guardProcessExit();

export default runCellTask;
