import type { RunConfig } from "./config.js";

/**
 * Every key path of a run config as a tuple (["exits", "stopLossPct"]), over every kind of the
 * mode sections. Flags (cli/backtestFlags.ts) and environment variables name their path with
 * this type, so a flag that names a key the schema does not have fails to compile.
 */
export type ConfigPath = PathsOf<RunConfig>;

type Leaf = string | number | boolean | null | undefined | readonly unknown[];
/** The keys of every member of a union. */
type KeysOf<T> = T extends unknown ? keyof T & string : never;
/** The value at `K` in the members of `T` that have it. */
type ValueAt<T, K extends string> = T extends unknown ? (K extends keyof T ? T[K] : never) : never;

type PathsOf<T, Depth extends readonly unknown[] = []> = Depth["length"] extends 4
  ? never
  : { [K in KeysOf<T>]: readonly [K] | (Exclude<ValueAt<T, K>, Leaf> extends never ? never : readonly [K, ...PathsOf<Exclude<ValueAt<T, K>, Leaf>, [...Depth, unknown]>]) }[KeysOf<T>];
