/**
 * Mocha inside the extension host. One suite, two runners: `test/editor/run.mjs` loads it in
 * code-server through the `extensionTestsPath` route; `test/editor/electron.mjs` runs it with
 * @vscode/test-electron where a VS Code build can be downloaded (desktops, hosted CI).
 */
import path from 'node:path';
import Mocha from 'mocha';

export function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'bdd', timeout: 120_000, color: false, reporter: 'spec' });
  mocha.addFile(path.join(__dirname, 'extension.test.js'));
  return new Promise((resolve, reject) => {
    mocha.run((failures) => (failures > 0 ? reject(new Error(`${failures} extension-host test(s) failed`)) : resolve()));
  });
}
