/**
 * Fuzz cases about the file system rather than file contents (README "Safety"):
 *
 * - `special-files`: a broken link, a link to itself, a two-link loop, a FIFO — or a link that
 *   works — where a bar, funding, detail, predictions, config or Q-table file is expected;
 * - `destructive-out`: `--out` (often with --force) at the data folder, the case folder that
 *   holds the inputs, a file, a link, an earlier run folder holding the user's files, a folder
 *   of the user's, or `--rl-save` at a user's file.
 *
 * The oracle's input check makes "0 silent changes" strict: every file, link and FIFO a case
 * created must be there unchanged afterwards, except exitlab's own files of an earlier run.
 */
import type { Builder } from "./cases.js";
import { abs, addFile, joinLines, validData } from "./cases.js";
import { predictionsCsvLines } from "./validInputs.js";

type SpecialKind = "broken" | "self" | "loop" | "fifo" | "good-link";

/** Puts a special entry of `kind` at `path` (relative); a good link points at `goodTarget` (absolute). */
function placeSpecial(b: Builder, path: string, kind: SpecialKind, goodTarget: string): void {
  const full = abs(b, path);
  if (kind === "broken") b.links.push({ path, target: abs(b, "nowhere/missing.csv") });
  else if (kind === "self") b.links.push({ path, target: full });
  else if (kind === "loop") {
    b.links.push({ path, target: `${full}.other` }, { path: `${path}.other`, target: full });
  } else if (kind === "fifo") b.fifos.push(path);
  else b.links.push({ path, target: goodTarget });
  b.notes.push(`${kind} at ${path}`);
}

export function specialFilesCase(b: Builder): void {
  const { rng } = b;
  const data = validData(b, { folderFunding: false });
  const kind = rng.pick<SpecialKind>(["broken", "self", "loop", "fifo", "good-link"]);
  const symbol = data.sets[0].symbol;
  const place = rng.pick(["new-symbol", "funding", "detail", "symbol-folder", "data-arg", "predictions", "config", "qtable"]);
  b.dataOnly = !["config", "qtable"].includes(place);
  switch (place) {
    case "new-symbol":
      placeSpecial(b, "data/ZZZUSDT.csv", kind, data.firstFile);
      b.args.push("--data", abs(b, "data"));
      break;
    case "funding":
      placeSpecial(b, `data/funding/${symbol}.csv`, kind === "good-link" ? "broken" : kind, data.firstFile);
      b.args.push("--data", abs(b, "data"));
      break;
    case "detail":
      placeSpecial(b, `data/detail/${symbol}.csv`, kind === "good-link" ? "broken" : kind, data.firstFile);
      b.args.push("--data", abs(b, "data"));
      break;
    case "symbol-folder":
      addFile(b, "data/QQQUSDT/.keep", "");
      placeSpecial(b, "data/QQQUSDT/2024-01.csv", kind, data.firstFile);
      b.args.push("--data", abs(b, "data"));
      break;
    case "data-arg":
      placeSpecial(b, `elsewhere/${symbol}.csv`, kind, data.firstFile);
      b.args.push("--data", abs(b, `elsewhere/${symbol}.csv`));
      break;
    case "predictions": {
      const real = addFile(b, "real-preds.csv", joinLines(predictionsCsvLines(rng, data.sets)));
      placeSpecial(b, "preds.csv", kind, real);
      b.args.push("--data", ...data.dataArgs, "--signals", abs(b, "preds.csv"));
      break;
    }
    case "config": {
      const real = addFile(b, "real-config.json", "{}\n");
      placeSpecial(b, "config.json", kind, real);
      b.args.push("--data", ...data.dataArgs, "--config", abs(b, "config.json"));
      break;
    }
    default:
      placeSpecial(b, "q.json", kind === "good-link" ? "fifo" : kind, data.firstFile);
      b.args.push("--data", ...data.dataArgs, "--sizing", "rl", "--rl-load", abs(b, "q.json"));
  }
}

/** A summary.json as exitlab wrote it before the marker existed (a legacy run folder). */
const LEGACY_SUMMARY = '{"engine":{"name":"exitlab","version":"0.1.0"}}\n';

export function destructiveOutCase(b: Builder): void {
  const { rng } = b;
  const data = validData(b);
  b.args.push("--data", ...data.dataArgs);
  const force = rng.chance(0.7);
  const form = rng.pick(["data-folder", "case-folder", "file", "link-to-folder", "broken-link", "earlier-run", "user-folder", "rl-save-user-file"]);
  b.notes.push(`destructive --out: ${form}${force ? " --force" : ""}`);
  switch (form) {
    case "data-folder":
      addFile(b, "data/README.txt", "the user's notes on the data\n");
      b.outDir = abs(b, "data");
      b.mustFail = "--out is the data folder";
      break;
    case "case-folder":
      b.outDir = b.caseDir;
      b.mustFail = "--out contains the inputs";
      break;
    case "file":
      b.outDir = addFile(b, "results.txt", "a user's file\n");
      b.mustFail = "--out is a file";
      break;
    case "link-to-folder":
      addFile(b, "real-out/notes.txt", "kept\n");
      b.links.push({ path: "out-link", target: abs(b, "real-out") });
      b.outDir = abs(b, "out-link");
      b.mustFail = "--out is a symbolic link";
      break;
    case "broken-link":
      b.links.push({ path: "out-link", target: abs(b, "nowhere") });
      b.outDir = abs(b, "out-link");
      b.mustFail = "--out is a broken symbolic link";
      break;
    case "earlier-run":
      for (const name of ["summary.json", "trades.csv", "report.html"]) {
        addFile(b, `out/${name}`, name === "summary.json" ? LEGACY_SUMMARY : "old\n");
        b.replaceable.push(`out/${name}`);
      }
      addFile(b, "out/analysis.ipynb", "{}\n");
      addFile(b, "out/plots/equity.png", "PNG\n");
      break;
    case "user-folder":
      addFile(b, "out/thesis.tex", "years of work\n");
      addFile(b, "out/trades.csv", "my own trades\n");
      if (!force) b.mustFail = "--out is a user's folder, without --force";
      if (force) b.replaceable.push("out/trades.csv"); // --force may replace a file of a name the run writes
      break;
    default:
      addFile(b, "mine.json", "my own Q-table\n");
      b.args.push("--sizing", "rl", "--rl-save", abs(b, "mine.json"));
      if (!force) b.mustFail = "--rl-save is a user's file, without --force";
      if (force) b.replaceable.push("mine.json");
  }
  if (force) b.args.push("--force");
}
