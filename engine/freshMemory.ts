/**
 * Zeroed typed arrays for the large columns a run fills once: the bars read from the data
 * cache, the copies of a strategy's signal columns, the equity curve, the ledgers' columns.
 *
 * Why: on the VM this project is measured on, every first write to a fresh page of memory is
 * a page fault of ~13 µs (a fresh 100 MB array takes 270–370 ms to write one byte per page),
 * and the peer workload's run took ~26,000 of them, a third of its wall time. The CLI's worker
 * thread computes the whole run on one core while the process's main thread waits. So the main
 * thread allocates a SharedArrayBuffer and touches its pages first, on the other core, while
 * the worker thread starts (cli/prefault.ts), and the worker carves its large columns out of
 * it here: their pages are already mapped.
 *
 * Off unless a thread is given memory (`provideTouchedMemory`): a library user, a sweep's pool
 * thread and the tests get plain `new Float64Array(n)` as before. With it, each array is a view
 * into the SharedArrayBuffer at its own 64-byte-aligned offset, handed out once, never reused,
 * so it is zeroed exactly like a fresh one (the toucher never changes a value, see
 * cli/prefault.ts). Arrays under MIN_CARVE_BYTES, or once the memory is used up, are fresh as before.
 */

/** A typed-array class that can be made either fresh or over part of a buffer. */
export interface TypedArrayClass<T> {
  new (length: number): T;
  new (buffer: ArrayBufferLike, byteOffset: number, length: number): T;
  readonly BYTES_PER_ELEMENT: number;
}

/** Below this, an array is made fresh: a few pages are not worth a slot. */
export const MIN_CARVE_BYTES = 16 * 1024;

/** Offsets are rounded up to a cache line, so no two arrays share one. */
const ALIGN_BYTES = 64;

let memory: SharedArrayBuffer | null = null;
let used = 0;

/** This thread's arrays are carved from `touched` from now on (null: fresh arrays again). */
export function provideTouchedMemory(touched: SharedArrayBuffer | null): void {
  memory = touched;
  used = 0;
}

/** Bytes of the provided memory handed out so far (0 without one). */
export function touchedMemoryUsed(): number {
  return used;
}

/** A zeroed `Type` of `length` elements: carved from the provided memory when there is room, else fresh. */
export function freshArray<T>(Type: TypedArrayClass<T>, length: number): T {
  const bytes = length * Type.BYTES_PER_ELEMENT;
  if (memory === null || bytes < MIN_CARVE_BYTES) return new Type(length);
  const end = used + Math.ceil(bytes / ALIGN_BYTES) * ALIGN_BYTES;
  if (end > memory.byteLength) return new Type(length);
  const array = new Type(memory, used, length);
  used = end;
  return array;
}
