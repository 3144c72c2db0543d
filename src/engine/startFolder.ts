/**
 * The folder the process started in: where the user's relative paths were typed from. The engine
 * later moves to the model file's folder (session.ts), so `process.cwd()` no longer says it.
 */
export const START_FOLDER = process.cwd();
