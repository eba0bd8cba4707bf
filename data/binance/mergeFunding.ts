/**
 * A symbol's monthly funding archives joined into the one funding CSV per symbol that a
 * data folder's `funding/` holds (SPEC §2). Binance's funding files are small (≤ 93 rows a
 * month), so each is unzipped whole. The header of the first archive is kept; the others
 * must carry the same header or none. Rows are copied unchanged: the funding loader
 * validates them when the folder is read.
 */

import { readFile } from "node:fs/promises";
import { strFromU8, unzipSync } from "fflate";
import { DataError } from "../../engine/errors.js";
import { isNumericField } from "../csvHeader.js";
import { writeAtomically } from "./fetchArchive.js";

export async function mergeFundingArchives(archives: readonly string[], outFile: string): Promise<number> {
  let header: string | null = null;
  const rows: string[] = [];
  for (const archive of archives) {
    const lines = (await readSingleMember(archive)).split(/\r?\n/).filter((line) => line.trim() !== "");
    if (lines.length === 0) continue;
    const first = lines[0];
    const hasHeader = !isNumericField(first.split(",")[0]);
    if (hasHeader) {
      if (header === null) header = first.trim();
      else if (header !== first.trim()) {
        throw new DataError(`the header "${first.trim()}" differs from "${header}" of the earlier archives`, `${archive}:1`);
      }
    } else if (header === null) {
      throw new DataError("the funding archive has no header line", `${archive}:1`, "Binance's funding archives start with calc_time,funding_interval_hours,last_funding_rate");
    }
    rows.push(...(hasHeader ? lines.slice(1) : lines));
  }
  if (header === null) throw new DataError("no funding rows in the downloaded archives", outFile);
  await writeAtomically(outFile, `${header}\n${rows.join("\n")}\n`);
  return rows.length;
}

async function readSingleMember(archive: string): Promise<string> {
  let files: Record<string, Uint8Array>;
  try {
    files = unzipSync(await readFile(archive));
  } catch (error) {
    throw new DataError(`corrupt ZIP archive: ${(error as Error).message}`, archive, "delete it and run the command again");
  }
  const names = Object.keys(files).filter((name) => !name.endsWith("/"));
  if (names.length !== 1) {
    throw new DataError(`the archive holds ${names.length} files, expected one CSV`, archive);
  }
  return strFromU8(files[names[0]]);
}
