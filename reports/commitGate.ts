/**
 * The CLI runs a computing command in a worker thread that a signal may terminate at any
 * moment (cli/interruptShell.ts, README "Safety"). The writers tell it two things through this
 * gate: each work folder or temporary file they create (the CLI removes what a terminated
 * write left), and the renames that make a write visible (`begin` … `end`), which are never
 * cut in half: a signal that arrives during them takes effect once they are done. Outside the
 * CLI's worker the gate does nothing.
 */
export interface CommitGate {
  /** A work folder or temporary file now exists at `path`. */
  created(path: string): void;
  /** Before the renames that make a write visible; never returns once the run is being stopped. */
  begin(): void;
  /** After them; `written` is the output as the user named it, or null when they failed. */
  end(written: string | null): void;
}

const OPEN: CommitGate = { created() {}, begin() {}, end() {} };
let gate: CommitGate = OPEN;

export function setCommitGate(next: CommitGate): void {
  gate = next;
}

export function commitGate(): CommitGate {
  return gate;
}
