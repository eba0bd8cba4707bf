/**
 * The one warnings mechanism of a run (README: "What exitlab refuses, what it warns about").
 * A warning says that exitlab ignored or changed part of what the user gave, while the run
 * still means what was asked. Each has a stable `code`, a `count` of the things it concerns
 * (rows, signals, decisions, entries) and a one-line `message`. The CLI prints every warning
 * on stderr; summary.json records them under `warnings`. Anything that would make the run
 * mean something else than what was asked is an error instead, never a warning.
 */

export interface RunWarning {
  /** Stable kebab-case identifier, e.g. `predictions-unknown-symbol`. */
  readonly code: string;
  /** How many rows, signals, entries or decisions the warning concerns (≥ 1). */
  readonly count: number;
  readonly message: string;
}

/** A warning, or none when `count` is 0 (so callers can write `warn(code, n, …)` unconditionally). */
export function warningIf(code: string, count: number, message: () => string): RunWarning[] {
  return count > 0 ? [{ code, count, message: message() }] : [];
}

/**
 * The engine's own warnings (plain strings, SPEC §7) in the common form: the count is the
 * number the message starts with, or 1.
 */
export function engineWarnings(messages: readonly string[]): RunWarning[] {
  return messages.map((message) => {
    const leading = /^(\d+) /.exec(message);
    return { code: "run", count: leading === null ? 1 : Number(leading[1]), message };
  });
}

/** The stderr line of a warning. */
export function formatWarningLine(warning: RunWarning): string {
  return `exitlab: warning: ${warning.message}\n`;
}

/** Up to `limit` names, then "… and N more". */
export function listNames(names: readonly string[], limit = 5): string {
  const shown = names.slice(0, limit).join(", ");
  return names.length > limit ? `${shown} and ${names.length - limit} more` : shown;
}
