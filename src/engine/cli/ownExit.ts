/**
 * LR Lab's own early exits (a signal's status while a command starts): the CLI's exit handler
 * (`main.ts`), which names a `process.exit` from user code, stays quiet for them. A worker stopped by
 * SIGTERM while it connected read "the model file (or a library it uses) called process.exit(143)".
 */
let own = false;

/** Ends the process with `code` as LR Lab's own doing (the caller has said why). */
export function exitForSignal(code: number): never {
  own = true;
  process.exit(code);
}

/** Whether the process is ending through `exitForSignal`. */
export function exitingOnPurpose(): boolean {
  return own;
}
