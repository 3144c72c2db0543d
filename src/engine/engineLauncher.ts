/**
 * `dist/launch.js` beside the engine bundle (src/engine/launch.ts): what child processes and script
 * workers start the bundle through. Its own file, of Node built-ins only: scriptRun.ts is in the
 * library's bundles too, which must not pull in the child-process machinery of childRun.ts.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';

/** The launcher beside `bundle`, or null where there is none (the engine from sources). */
export function engineLauncher(bundle: string): string | null {
  const launcher = path.join(path.dirname(bundle), 'launch.js');
  return existsSync(launcher) ? launcher : null;
}
