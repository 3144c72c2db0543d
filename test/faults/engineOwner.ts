/**
 * A stand-in for the editor's extension host (fault suite, lifetime.test.ts): starts one engine
 * run through the real EngineHost, prints the engine's pid, and waits to be killed.
 */
import path from 'node:path';
import { EngineHost } from '../../src/extension/engineHost';

const model = process.argv[2] ?? '';
const host = new EngineHost({ extensionPath: path.join(__dirname, '..', '..'), log: () => undefined });
const token = { isCancellationRequested: false, onCancellationRequested: () => ({ dispose: () => undefined }) };
host.run('owner', { kind: 'find-lr', model }, { onProgress: () => undefined, onAppend: () => undefined }, token as never).catch(() => undefined);
process.stdout.write(`${JSON.stringify(host.pids)}\n`);
setInterval(() => undefined, 60_000);
