import type { Argv } from "yargs";
import type { BinanceMarket } from "../data/binance/index.js";
import { DEFAULT_BASE_URL } from "../data/binance/archiveLayout.js";
import type { CommandRow } from "./commandRow.js";

/** `exitlab data binance`: Binance's public archives into a data folder (data/binance/); the download code loads when the command runs. */
export const BINANCE_COMMAND: CommandRow = {
  name: "binance",
  parent: "data",
  describe: "Download Binance's public monthly (and this month's daily) kline, funding and mark-price archives, verify their sha256 checksums, and lay them out as a data folder",
  options: (command: Argv) =>
    command
      .option("market", { choices: ["spot", "um"], default: "um", describe: "spot, or um (USD-M futures)" })
      .option("symbols", { type: "string", demandOption: true, describe: "Comma-separated symbols, e.g. BTCUSDT,ETHUSDT" })
      .option("interval", { type: "string", default: "1h", describe: "Kline interval of the main bars" })
      .option("from", { type: "string", demandOption: true, describe: "First month, YYYY-MM (UTC)" })
      .option("to", { type: "string", demandOption: true, describe: "Last month, YYYY-MM, inclusive (the current month: daily archives up to yesterday)" })
      .option("funding", { type: "boolean", default: false, describe: "Also funding rates into funding/ (um only)" })
      .option("mark", { type: "boolean", default: false, describe: "Also mark-price klines into mark/ (um only; not yet read by backtests)" })
      .option("detail", { type: "string", describe: "Also klines of this interval (e.g. 1m) into detail/ as intrabar detail" })
      .option("out", { type: "string", default: "data/binance", describe: "Output folder (a data folder for --data)" })
      .option("base-url", { type: "string", default: DEFAULT_BASE_URL, describe: "Archive root (a mirror, or a local server)" })
      .option("parallel", { type: "number", default: 4, describe: "Archives fetched at the same time (1-16)" })
      .option("retries", { type: "number", default: 2, describe: "Further attempts after a network error, a stall (60 s without data), HTTP 429/5xx or a checksum mismatch" })
      .option("quiet", { type: "boolean", default: false, describe: "Print nothing on success" }),
  examples: [["$0 data binance --symbols BTCUSDT,ETHUSDT --from 2024-01 --to 2024-06 --funding", "then: exitlab backtest --data data/binance"]],
  run: async (argv, _env, io) => {
    const [{ downloadBinance }, { createProgress }] = await Promise.all([import("../data/binance/index.js"), import("./progress.js")]);
    const quiet = argv.quiet === true;
    const progress = createProgress("download", quiet);
    try {
      const result = await downloadBinance(
        {
          market: argv.market as BinanceMarket,
          symbols: String(argv.symbols).split(",").map((s) => s.trim()).filter(Boolean),
          interval: String(argv.interval),
          from: String(argv.from),
          to: String(argv.to),
          funding: argv.funding === true,
          mark: argv.mark === true,
          detail: argv.detail === undefined ? null : String(argv.detail),
          out: String(argv.out),
          baseUrl: String(argv["base-url"]),
          parallel: Number(argv.parallel),
          http: { retries: Number(argv.retries) },
        },
        ({ done, total }) => progress.update(done, total),
      );
      progress.stop();
      for (const warning of result.warnings) io.err(`exitlab: warning: ${warning}\n`);
      if (!quiet) {
        io.out(`${String(argv.out)}: ${result.archives} archives verified (${result.downloaded} downloaded, ${result.kept} already present)\n`);
      }
    } finally {
      progress.stop();
    }
  },
};
