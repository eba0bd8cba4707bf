/**
 * The error hierarchy (STYLE §7): one base class with a stable `code`, where the problem
 * came from, and how to fix it. The CLI prints these in one line and exits non-zero;
 * anything else is a bug and is printed with its stack.
 */

export type ErrorCode =
  | "DATA_INVALID"
  | "CONFIG_INVALID"
  | "USAGE_INVALID"
  | "STRATEGY_FAILED"
  | "OUTPUT_FAILED";

export class ExitlabError extends Error {
  readonly code: ErrorCode;
  /** `file:line`, `file` or a config path such as `exits.stopLossPct`. */
  readonly where: string | null;
  readonly hint: string | null;

  constructor(code: ErrorCode, message: string, where: string | null = null, hint: string | null = null) {
    super(message);
    this.name = new.target.name;
    this.code = code;
    this.where = where;
    this.hint = hint;
  }

  /** The one line the CLI prints. */
  oneLine(): string {
    const place = this.where === null ? "" : `${this.where}: `;
    const fix = this.hint === null ? "" : ` (${this.hint})`;
    return `${place}${this.message}${fix}`;
  }
}

/** Bad bar, funding or predictions data: exit code 1. */
export class DataError extends ExitlabError {
  constructor(message: string, where: string | null = null, hint: string | null = null) {
    super("DATA_INVALID", message, where, hint);
  }
}

/** Bad configuration (file, flag or environment): exit code 2. */
export class ConfigError extends ExitlabError {
  constructor(message: string, where: string | null = null, hint: string | null = null) {
    super("CONFIG_INVALID", message, where, hint);
  }
}

/** A user strategy module that failed: exit code 1. */
export class StrategyError extends ExitlabError {
  constructor(message: string, where: string | null = null, hint: string | null = null) {
    super("STRATEGY_FAILED", message, where, hint);
  }
}

/** The output folder could not be written: exit code 1. */
export class OutputError extends ExitlabError {
  constructor(message: string, where: string | null = null, hint: string | null = null) {
    super("OUTPUT_FAILED", message, where, hint);
  }
}

/** Exit code for a known error: 2 for usage and configuration, 1 for everything else. */
export function exitCodeFor(error: ExitlabError): 1 | 2 {
  return error.code === "CONFIG_INVALID" || error.code === "USAGE_INVALID" ? 2 : 1;
}
