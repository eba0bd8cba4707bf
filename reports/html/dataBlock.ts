/**
 * The data block of report.html (reportData.ts) written as UTF-8 bytes, the bytes of
 * `jsonForScript(buildReportData(input))` (tested byte for byte), without ever holding the whole
 * value or its text: the trade rows and the drill-downs — nearly all of a long run's megabytes —
 * are made, turned into JSON and dropped one trade at a time, so they die young instead of being
 * copied by every garbage collection until the end, and their text goes straight into a byte
 * buffer (copied byte for byte when it is ASCII, as it almost always is; made script-safe as
 * `jsonForScript` does only where it holds a character to escape). Pure.
 */
import { bytesForScript } from "./format.js";
import { tradeRowOf, type ReportDataParts } from "./reportData.js";
import type { RunReportInput } from "./reportInput.js";

/**
 * A byte buffer that grows, holding script-safe JSON text. Texts are gathered and written
 * ~32,000 characters at a time: a long run hands over two small texts per trade, and each
 * `Buffer.write` call costs more than copying its few hundred bytes (~13 ms of 7,800 calls in
 * the peer workload). Escaping is character by character, so joined texts give the same bytes.
 */
class ScriptJsonBytes {
  private buffer: Buffer;
  private length = 0;
  private readonly pending: string[] = [];
  private pendingChars = 0;

  constructor(capacity: number) {
    this.buffer = Buffer.allocUnsafe(capacity);
  }

  /** JSON text, made script-safe. */
  json(text: string): void {
    this.pending.push(text);
    this.pendingChars += text.length;
    if (this.pendingChars >= FLUSH_CHARS) this.flush();
  }

  result(): Buffer {
    this.flush();
    return this.buffer.subarray(0, this.length);
  }

  private flush(): void {
    if (this.pending.length === 0) return;
    const text = this.pending.length === 1 ? this.pending[0] : this.pending.join("");
    this.pending.length = 0;
    this.pendingChars = 0;
    const room = text.length * 6 + 16; // UTF-8 takes at most 3 bytes per UTF-16 unit; an escape 6 characters
    if (this.length + room > this.buffer.length) {
      const grown = Buffer.allocUnsafe(Math.max(this.buffer.length * 2, this.length + room));
      this.buffer.copy(grown, 0, 0, this.length);
      this.buffer = grown;
    }
    this.length += bytesForScript(text, this.buffer, this.length);
  }
}

/** Characters gathered before they are written into the buffer. */
const FLUSH_CHARS = 32_000;

/** Bytes a trade takes in a long run's data block, to size the buffer once (it grows if needed). */
const BYTES_PER_TRADE = 1_600;

/** The bytes of `jsonForScript(assembleReportData(input, parts))`. */
export function writeDataBlock(input: RunReportInput, { head, benchmark, price }: ReportDataParts): Buffer {
  const out = new ScriptJsonBytes(BYTES_PER_TRADE * input.trades.length + (1 << 18));
  const headText = JSON.stringify(head);
  out.json(headText.slice(0, -1)); // without its closing brace: the other fields follow
  out.json(',"tradeRows":[');
  input.trades.forEach((trade, index) => out.json(index === 0 ? JSON.stringify(tradeRowOf(trade)) : `,${JSON.stringify(tradeRowOf(trade))}`));
  out.json("]");
  if (benchmark !== undefined) out.json(`,"benchmark":${JSON.stringify(benchmark)}`);
  if (price !== undefined) {
    out.json(`,"price":{"symbols":${JSON.stringify(price.symbols)},"trades":[`);
    input.trades.forEach((trade, index) => out.json(index === 0 ? JSON.stringify(price.drill(trade)) : `,${JSON.stringify(price.drill(trade))}`));
    out.json("]}");
  }
  out.json("}");
  return out.result();
}
