/**
 * apache-arrow, loaded from the package's single-file bundle (`Arrow.esnext.min.js`, the same
 * version and code, byte-identical IPC output — tested) instead of its ESM entry: the entry is
 * about a hundred module files and took ~90 ms to import on the 2-core machine, the bundle
 * ~13 ms. The cache (data/) and `equity.arrow` (reports/) both write through this one module.
 */
import { createRequire } from "node:module";
import type * as Arrow from "apache-arrow";

export type { Arrow };

export const arrow = createRequire(import.meta.url)("apache-arrow/Arrow.esnext.min") as typeof Arrow;
