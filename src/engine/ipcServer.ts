/**
 * The engine as a child process of the extension host: JSON-RPC over the IPC channel Node sets
 * up for `fork`/`spawn` with `stdio: [..., 'ipc']`. One run at a time; cancellation arrives as
 * `$/cancelRequest` and aborts the run's signal, which the training loop checks between batches.
 * When the parent goes away (disconnect) the engine exits, so it can never be orphaned.
 */
import type { CancellationToken} from 'vscode-jsonrpc/node';
import { ResponseError, createMessageConnection } from 'vscode-jsonrpc/node';
import { IPCMessageReader, IPCMessageWriter } from 'vscode-jsonrpc/node';
import { AppendNotification, ENGINE_IDLE_MS, LogNotification, PrepareRequest, ProgressNotification, RunRequest, ShutdownRequest } from '../protocol/engineRpc';
import type { PrepareResult } from '../protocol/engineRpc';
import type { LrLabErrorData } from '../protocol/errors';
import { LrLabError } from '../protocol/errors';
import type { AnyResult } from '../protocol/results';
import { Reporter } from './reporter';
import { runRequest } from './run';
import { toLrLabError } from './errorMapping';
import { prepareEngine } from './session';

/** How long an engine waits for its run: ENGINE_IDLE_MS, or LRLAB_ENGINE_IDLE_MS (tests). */
function idleMs(): number {
  const env = Number(process.env['LRLAB_ENGINE_IDLE_MS']);
  return Number.isFinite(env) && env > 0 ? env : ENGINE_IDLE_MS;
}

export function serveIpc(): void {
  const connection = createMessageConnection(new IPCMessageReader(process), new IPCMessageWriter(process));
  let busy = false;
  // An engine started ahead (PrepareRequest) that is never given its run must not linger.
  const idle = setTimeout(() => process.exit(0), idleMs());
  idle.unref();
  // The warm-up of a prepare stops as soon as the run arrives (it would only compete with it).
  let runArrived = (): void => undefined;
  const runArrives = new Promise<void>((resolve) => {
    runArrived = resolve;
  });

  connection.onRequest(PrepareRequest.type, async (params): Promise<PrepareResult | ResponseError<LrLabErrorData>> => {
    try {
      return await prepareEngine(params, runArrives);
    } catch (error) {
      const lrlab = toLrLabError(error);
      return new ResponseError(1, lrlab.message, lrlab.toData());
    }
  });

  connection.onRequest(RunRequest.type, async (params, token: CancellationToken): Promise<AnyResult | ResponseError<LrLabErrorData>> => {
    clearTimeout(idle);
    runArrived();
    if (busy) {
      const error = new LrLabError('internal', 'The engine is already running an experiment.', { fix: 'Cancel it or wait for it to finish.' });
      return new ResponseError(1, error.message, error.toData());
    }
    busy = true;
    const controller = new AbortController();
    const subscription = token.onCancellationRequested(() => controller.abort());
    const reporter = new Reporter(params.runId, {
      progress: (p) => void connection.sendNotification(ProgressNotification.type, p),
      append: (a) => void connection.sendNotification(AppendNotification.type, a),
      log: (level, message) => void connection.sendNotification(LogNotification.type, { level, message }),
    });
    try {
      const result = await runRequest(params.request, { reporter, signal: controller.signal });
      reporter.flush();
      return result;
    } catch (error) {
      reporter.flush();
      const lrlab = toLrLabError(error);
      if (lrlab.code === 'internal' && error instanceof Error && error.stack !== undefined) {
        void connection.sendNotification(LogNotification.type, { level: 'error', message: error.stack });
      }
      return new ResponseError(1, lrlab.message, lrlab.toData());
    } finally {
      subscription.dispose();
      busy = false;
    }
  });

  connection.onRequest(ShutdownRequest.type, () => {
    setImmediate(() => process.exit(0));
    return null;
  });

  process.on('disconnect', () => process.exit(0));
  connection.listen();
}
