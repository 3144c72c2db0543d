//@ts-check
/**
 * The same extension-host suite as run.mjs uses, run by @vscode/test-electron: it downloads a
 * VS Code build (not possible on the offline CI machines, where run.mjs runs the suite in
 * code-server instead). On a desktop or hosted CI: `node test/editor/electron.mjs`.
 */
import path from 'node:path';
import { runTests } from '@vscode/test-electron';
import { buildSuite } from './buildSuite.mjs';
import { REPO_ROOT } from './setup.mjs';

const extensionTestsPath = await buildSuite();
try {
  await runTests({
    extensionDevelopmentPath: REPO_ROOT,
    extensionTestsPath,
    launchArgs: [path.join(REPO_ROOT, 'test', 'editor', 'fixtures', 'workspace'), '--disable-extensions'],
  });
} catch (error) {
  console.error(`extension-host tests failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
