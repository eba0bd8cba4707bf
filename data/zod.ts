/**
 * zod, as every schema of exitlab uses it: set to validate without generating code.
 *
 * By default zod 4 compiles a fast path for each object schema with `new Function` the first
 * time it parses — worth it for a schema that parses thousands of objects, a cost for one that
 * parses a run's config once. exitlab parses a config a few times a run (once a sweep cell);
 * the generated code is compiled cold each time, and outside the worker's code cache.
 * Measured on the peer workload: its config phase 18.4 → 4.8 ms, ~5 ms for the whole run (some
 * of the page faults move to the next phase; README "Performance"). The results and messages
 * are zod's own either way.
 *
 * `jitless` is read when a schema is created, so every schema module imports `z` from here:
 * this module is then evaluated, and the setting made, before the first schema exists.
 */
import { z } from "zod";

z.config({ jitless: true });

export { z };
