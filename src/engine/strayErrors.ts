/**
 * Errors the model's code throws outside any call LR Lab awaits (a timer, an event handler, a
 * promise nothing awaited). A CLI run ends on one, saying where (src/engine/main.ts). A scale-out
 * worker runs other trials after the one whose model threw, and its pool's other processes with it:
 * there one failed every worker for good, and the run waited for a worker forever. So a worker
 * catches them (`catchStrayErrors`): the trial running fails saying so, and the worker goes on, as it
 * does when a model calls process.exit.
 */
type StrayCatcher = (error: unknown, how: string) => boolean;

let catcher: StrayCatcher | null = null;

/** Where stray errors go from now on (`null`: nowhere, the process ends on them). */
export function catchStrayErrors(next: StrayCatcher | null): void {
  catcher = next;
}

/** Whether a stray error was taken care of (main.ts then leaves the process running). */
export function strayCaught(error: unknown, how: string): boolean {
  return catcher?.(error, how) ?? false;
}
