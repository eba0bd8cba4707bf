/** Small CSV fixtures written to a fresh temporary folder per test. */

import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterEach, expect } from "vitest";
import { DataError } from "../../engine/errors.js";

const createdFolders: string[] = [];

afterEach(() => {
  while (createdFolders.length > 0) rmSync(createdFolders.pop()!, { recursive: true, force: true });
});

/** A new empty folder, removed after the test. */
export function makeTempFolder(): string {
  const folder = mkdtempSync(join(tmpdir(), "exitlab-data-"));
  createdFolders.push(folder);
  return folder;
}

/** Writes `content` (string or bytes) at `relativePath` under `folder` and returns the full path. */
export function writeFixture(folder: string, relativePath: string, content: string | Uint8Array): string {
  const path = join(folder, relativePath);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, content);
  return path;
}

/** CSV text from lines, each ended by "\n". */
export function csvLines(...lines: string[]): string {
  return lines.map((line) => `${line}\n`).join("");
}

/** The DataError a promise rejects with; fails the test when it resolves or throws something else. */
export async function dataErrorOf(promise: Promise<unknown>): Promise<DataError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(DataError);
    return error as DataError;
  }
  throw new Error("expected a DataError, but the promise resolved");
}

/** One Binance kline row (12 fields) with the given open time and prices. */
export function klineRow(openTime: number | bigint, open: number, high: number, low: number, close: number): string {
  return [openTime, open, high, low, close, 12.5, openTime, 530000.1, 471, 6.2, 261000.3, 0].join(",");
}

export const HOUR_MS = 3_600_000;
export const JAN_1_2024_MS = Date.UTC(2024, 0, 1);
