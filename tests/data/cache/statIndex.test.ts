import { mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { hashSourceFiles } from "../../../data/hashSourceFiles.js";
import { digestWithStatIndex } from "../../../data/statIndex.js";

describe("the stat index of source digests", () => {
  it("records a digest, reuses it while the file is unchanged, and re-hashes a rewritten file", () => {
    const folder = mkdtempSync(join(tmpdir(), "exitlab-statindex-"));
    const file = join(folder, "A.csv");
    const cache = join(folder, "cache");
    writeFileSync(file, "timestamp,open,high,low,close\n1,1,1,1,1\n");
    const first = digestWithStatIndex([file], cache);
    expect(first).toEqual(hashSourceFiles([file]));
    expect(readdirSync(cache).filter((name) => name.startsWith("digest-"))).toHaveLength(1);
    expect(digestWithStatIndex([file], cache)).toEqual(first);
    // Same size, other bytes: the ctime changes, so the file is hashed again.
    writeFileSync(file, "timestamp,open,high,low,close\n2,1,1,1,1\n");
    const second = digestWithStatIndex([file], cache);
    expect(second.sha256).not.toBe(first.sha256);
    expect(second).toEqual(hashSourceFiles([file]));
  });
});
