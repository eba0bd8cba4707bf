/**
 * The piscina worker script of a walk-forward's pool: each thread loads this file (compiled,
 * as dist/workflows/walkforward/worker.js) and runs one in-sample cell per task.
 */
import { runWindowCell } from "./windowCell.js";

export default runWindowCell;
