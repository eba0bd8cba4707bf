import { describe, expect, it } from "vitest";
import { CONFIG_FLAGS } from "../../cli/backtestFlags.js";
import type { ConfigPath } from "../../strategies/configPaths.js";
import { ENVIRONMENT_KEYS } from "../../workflows/resolveConfig.js";

// Checked by `tsc -p tests/tsconfig.json` (part of npm test): an unused @ts-expect-error fails the build.
describe("config paths of flags and environment variables", () => {
  it("accept the keys of every mode section and reject a misspelt key at compile time", () => {
    const good: ConfigPath[] = [["exits", "stopLossPct"], ["exits", "tiers"], ["sizing", "notionalUsd"], ["risk", "maxLeverage"], ["seed"]];
    // @ts-expect-error a misspelt key is not a config path
    const misspelt: ConfigPath = ["exits", "stopLosPct"];
    // @ts-expect-error a key under a leaf is not a config path
    const tooDeep: ConfigPath = ["seed", "value"];
    expect([...good, misspelt, tooDeep]).toHaveLength(7);
  });

  it("are what every flag and environment variable names", () => {
    const paths: ConfigPath[] = [...Object.values(CONFIG_FLAGS).map((spec) => spec.path), ...ENVIRONMENT_KEYS.map((key) => key.path)];
    expect(paths.every((path) => path.length >= 1)).toBe(true);
  });
});
