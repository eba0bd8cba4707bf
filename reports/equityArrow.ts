/**
 * equity.arrow: the whole equity curve, every row, as one Apache Arrow IPC file (readable by
 * `pyarrow.ipc.open_file`, `pandas.read_feather`, `polars.read_ipc`) — the compact, exact
 * full-resolution form beside an equity.csv written at a coarser resolution. No text
 * formatting: the columns are the engine's Float64Arrays as they are, so every value is the
 * run's own float64 bit for bit.
 *
 * Columns: `timestamp` (Arrow timestamp, ms, UTC), `equity`, `balance`, `unrealized_pnl`,
 * `margin_used`, `exposure`, `drawdown` (float64, no nulls), as in equity.csv (SPEC §7).
 */
import { arrow, type Arrow } from "../data/apacheArrow.js";
import type { EquityCurve } from "../engine/types.js";

export const EQUITY_ARROW_COLUMNS = ["timestamp", "equity", "balance", "unrealized_pnl", "margin_used", "exposure", "drawdown"] as const;

/** The curve as an Arrow table over its own columns (no copy of the float64 values). */
export function equityArrowTable(curve: EquityCurve): Arrow.Table {
  const { Field, Float64, makeData, RecordBatch, Schema, Struct, Table, TimestampMillisecond } = arrow;
  const length = curve.length;
  const times = int64TimesOf(curve.time, length);
  const values = [curve.equity, curve.balance, curve.unrealizedPnl, curve.marginUsed, curve.exposure, curve.drawdown];
  const timeType = new TimestampMillisecond("UTC");
  const fields = [
    new Field("timestamp", timeType, false),
    ...EQUITY_ARROW_COLUMNS.slice(1).map((name) => new Field(name, new Float64(), false)),
  ];
  const children = [
    makeData({ type: timeType, length, nullCount: 0, data: times }),
    ...values.map((column) => makeData({ type: new Float64(), length, nullCount: 0, data: column.subarray(0, length) })),
  ];
  const schema = new Schema(fields, new Map([["exitlab.table", "equity"], ["exitlab.rows", String(length)]]));
  const batch = new RecordBatch(schema, makeData({ type: new Struct(fields), length, nullCount: 0, children }));
  return new Table(schema, batch);
}

/**
 * Hands `sink` the bytes of the Arrow IPC file of the curve in order — the bytes
 * `tableToIPC(equityArrowTable(curve), "file")` joins into one buffer (tested) — as Arrow's file
 * writer produces them: its headers, and each column as a view of the run's own Float64Array.
 * A chunk is valid only during the call. Joining them first would copy a 2 M-row curve's 112 MB
 * into a fresh buffer (a page fault per 4 KiB) only to write it out.
 */
export function streamEquityArrow(curve: EquityCurve, sink: (bytes: Uint8Array) => void): void {
  const writer = new arrow.RecordBatchFileWriter();
  writer.reset(new SinkQueue(sink));
  writer.writeAll(equityArrowTable(curve));
}

/**
 * Arrow's writer writes into an AsyncByteQueue (exported by apache-arrow for this), which
 * gathers the chunks until they are read; this one passes each on as it is written.
 */
class SinkQueue extends arrow.AsyncByteQueue {
  constructor(private readonly sink: (bytes: Uint8Array) => void) {
    super();
  }

  override write(value: Uint8Array): void {
    if (value.byteLength > 0) this.sink(value);
  }
}

const TWO_TO_32 = 4_294_967_296;

/**
 * Epoch ms (integers below 2^53 in a Float64Array) as int64, written as two 32-bit words
 * (little-endian, as Arrow's IPC body is): `BigInt(x)` per row cost ~0.1 s per million rows.
 */
function int64TimesOf(time: Float64Array, length: number): BigInt64Array {
  const times = new BigInt64Array(length);
  const words = new Uint32Array(times.buffer);
  for (let i = 0; i < length; i++) {
    const value = time[i];
    const high = Math.floor(value / TWO_TO_32);
    words[2 * i] = value - high * TWO_TO_32;
    words[2 * i + 1] = high >>> 0;
  }
  return times;
}
