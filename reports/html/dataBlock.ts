/**
 * The data block of report.html (reportData.ts) written as UTF-8 bytes, the bytes of
 * `jsonForScript(buildReportData(input))` (tested byte for byte), without ever holding the whole
 * value, its text or its bytes: the trade rows and the drill-downs — nearly all of a long run's
 * megabytes — are made, turned into JSON and dropped one trade at a time, so they die young
 * instead of being copied by every garbage collection until the end, and their text goes into one
 * reused byte buffer (copied byte for byte when it is ASCII, as it almost always is; made
 * script-safe as `jsonForScript` does only where it holds a character to escape) that is handed to
 * the sink each time it fills. Pure but for the sink.
 */
import { bytesForScript } from "./format.js";
import { tradeRowOf, type ReportDataParts } from "./reportData.js";
import type { RunReportInput } from "./reportInput.js";

/**
 * Script-safe JSON text turned into bytes in one reused buffer, handed to `sink` whenever the next
 * text might not fit (and at the end). Texts are gathered and written ~32,000 characters at a
 * time: a long run hands over two small texts per trade, and each `Buffer.write` call costs more
 * than copying its few hundred bytes (~13 ms of 7,800 calls in the peer workload). Escaping is
 * character by character, so joined texts give the same bytes.
 *
 * Why not one buffer for the whole block: a long run's block is megabytes, and a fresh buffer that
 * size costs a page fault per 4 KiB written into it, plus a copy of everything each time it grows
 * (~20 ms of the peer workload's report.html on a slow day); one small buffer stays in the cache.
 */
class ScriptJsonBytes {
  private readonly buffer = Buffer.allocUnsafe(CHUNK_BYTES);
  private length = 0;
  private readonly pending: string[] = [];
  private pendingChars = 0;

  constructor(private readonly sink: (bytes: Uint8Array) => void) {}

  /** JSON text, made script-safe. */
  json(text: string): void {
    this.pending.push(text);
    this.pendingChars += text.length;
    if (this.pendingChars >= FLUSH_CHARS) this.flush();
  }

  /** Hands over what is left. */
  end(): void {
    this.flush();
    this.emit();
  }

  private emit(): void {
    if (this.length === 0) return;
    this.sink(this.buffer.subarray(0, this.length));
    this.length = 0;
  }

  private flush(): void {
    if (this.pending.length === 0) return;
    const text = this.pending.length === 1 ? this.pending[0] : this.pending.join("");
    this.pending.length = 0;
    this.pendingChars = 0;
    const room = text.length * 6 + 16; // UTF-8 takes at most 3 bytes per UTF-16 unit; an escape 6 characters
    if (this.length + room > this.buffer.length) this.emit();
    if (room <= this.buffer.length) {
      this.length += bytesForScript(text, this.buffer, this.length);
      return;
    }
    // A text longer than the buffer (a symbol's candles, a long curve): bytes of its own.
    const own = Buffer.allocUnsafe(room);
    this.sink(own.subarray(0, bytesForScript(text, own, 0)));
  }
}

/** Characters gathered before they are written into the buffer. */
const FLUSH_CHARS = 32_000;

/** The reused buffer: room for two flushes of FLUSH_CHARS at the worst case of 6 bytes a character. */
const CHUNK_BYTES = 1 << 19;

/**
 * Hands `sink` the bytes of `jsonForScript(assembleReportData(input, parts))` in order, chunk by
 * chunk; a chunk is valid only during the call (its buffer is reused).
 */
export function streamDataBlock(input: RunReportInput, { head, benchmark, price }: ReportDataParts, sink: (bytes: Uint8Array) => void): void {
  const out = new ScriptJsonBytes(sink);
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
  out.end();
}
