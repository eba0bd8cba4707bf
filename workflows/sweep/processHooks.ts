import { hostname } from "node:os";

/**
 * What the process hosting a sweep tells the sweep machinery: the `host:pid` label that names
 * who ran a cell, and a check called right before a result is recorded (the CLI's launcher
 * stops a child whose launcher died there). A library user's process keeps the defaults.
 */
export interface SweepProcessHooks {
  readonly label: () => string;
  readonly beforeRecord: () => void;
}

let hooks: SweepProcessHooks = { label: () => `${hostname()}:${process.pid}`, beforeRecord: () => {} };

export function setSweepProcessHooks(next: SweepProcessHooks): void {
  hooks = next;
}

/** `host:pid` of the process that runs cells, as journals and tables show it. */
export function processLabel(): string {
  return hooks.label();
}

export function beforeRecord(): void {
  hooks.beforeRecord();
}
