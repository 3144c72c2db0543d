//@ts-check
/**
 * UI tests in a real VS Code (code-server), run in this order by run.mjs. To add one, append
 * `{ name, fn }`: `fn` receives a context with the running server and browser and opens its own
 * workbench window(s) with `ctx.open()`; run.mjs closes them, takes a screenshot on failure and
 * enforces `timeoutMs` (default 90 s). Use the helpers in harness.mjs; wait on conditions only.
 */
import { activationTime, answerInputBox, runCommand, screenshot, waitForOutput } from './harness.mjs';

/**
 * @typedef {object} TestContext
 * @property {import('./harness.mjs').Server} server
 * @property {import('playwright-core').Browser} browser
 * @property {string} workspace  absolute path of test/editor/fixtures/workspace
 * @property {(options?: Partial<Parameters<typeof import('./harness.mjs').openWorkbench>[2]>) => Promise<import('playwright-core').Page>} open
 *   opens a workbench window (on `workspace` unless `folder` is given); closed after the test
 * @property {(line: string) => void} note  prints a line under the test's result
 */

/** @typedef {{ name: string, timeoutMs?: number, fn: (ctx: TestContext) => Promise<void> }} EditorTest */

/** @type {EditorTest[]} */
export const tests = [
  {
    name: 'palette: Preview 1cycle schedule writes the schedule to the LR Lab output channel',
    async fn(ctx) {
      const page = await ctx.open();
      await runCommand(page, 'Preview 1cycle schedule');
      await answerInputBox(page, 'Maximum learning rate'); // default 0.1
      await answerInputBox(page, 'Total training steps'); // default 1000
      const lines = await waitForOutput(page, 'LR Lab', 'step 0: lr 4.000e-3');
      await screenshot(page, 'preview-schedule');
      const step0 = lines.find((l) => l.includes('step 0: lr 4.000e-3'));
      if (!step0?.includes('momentum 0.950')) throw new Error(`expected momentum 0.950 at step 0, got: ${step0 ?? '(none)'}`);
      // Optional measurement: not an assertion.
      const activation = await activationTime(page, 'LR Lab');
      ctx.note(`activation time of LR Lab (Running Extensions): ${activation ?? 'not shown'}`);
    },
  },
];
