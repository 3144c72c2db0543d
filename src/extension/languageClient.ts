/**
 * Starts the LR Lab language server (dist/server.js) and keeps it told which schedule each model
 * file would get (fileSchedules.ts: the latest range test or recipe of that file) — and which weight
 * decay: the latest sweep, weight-decay study or recipe of that file that chose one.
 */
import * as vscode from 'vscode';
import { LanguageClient, TransportKind } from 'vscode-languageclient/node';
import type { LanguageClientOptions, ServerOptions } from 'vscode-languageclient/node';
import { ResultsNotification } from '../protocol/serverMessages';
import type { FileSchedule, FileWeightDecay, ResultsParams, WeightDecayForm } from '../protocol/serverMessages';
import type { AnyResult, OptimizerName } from '../protocol/results';
import type { RunStore } from './runStore';
import { withTitleTooltips } from './lensTooltips';
import { fileSchedules } from './fileSchedules';

export function schedulesFrom(store: RunStore): FileSchedule[] {
  return fileSchedules(store.all(), (file) => vscode.Uri.file(file).toString());
}

/** The weight decay a finished run chose, or `null` when it chose none (or did not compare values). */
function chosenWeightDecay(result: AnyResult): { weightDecay: number; optimizer: OptimizerName | undefined } | null {
  if (result.kind === 'sweep') {
    const best = result.best === null ? undefined : result.curves[result.best];
    // A sweep over dropout or momentum alone compared no weight decays.
    const compared = new Set(result.curves.map((c) => c.weightDecay)).size > 1;
    return best === undefined || !compared ? null : { weightDecay: best.weightDecay, optimizer: result.settings.optimizer };
  }
  if (result.kind === 'weight-decay') {
    const best = result.best === null ? undefined : result.runs[result.best];
    return best === undefined ? null : { weightDecay: best.weightDecay, optimizer: undefined };
  }
  if (result.kind === 'recipe') {
    // The recommendation holds 0 when the weight-decay step was skipped: nothing was chosen then.
    const step = result.steps.find((s) => s.name === 'weight-decay');
    if (result.recommendation === null || step === undefined || step.status === 'skipped') return null;
    const rangeTest = result.steps.find((s) => s.name === 'range-test')?.evidence;
    return { weightDecay: result.recommendation.weightDecay, optimizer: rangeTest?.kind === 'find-lr' ? rangeTest.settings.optimizer : undefined };
  }
  return null;
}

export function weightDecaysFrom(store: RunStore): FileWeightDecay[] {
  const byModel = new Map<string, FileWeightDecay>();
  for (const run of store.all()) {
    const result = run.result;
    if (result === null || (result.kind !== 'sweep' && result.kind !== 'weight-decay' && result.kind !== 'recipe')) continue;
    const chosen = chosenWeightDecay(result);
    if (chosen === null) continue;
    // The engine's adamw decays decoupled; sgd/nesterov/adam (every optimizer a tfjs compile has) as L2.
    const form: WeightDecayForm = (chosen.optimizer ?? run.settings.optimizer) === 'adamw' ? 'decoupled' : 'l2';
    byModel.set(run.model, { uri: vscode.Uri.file(run.model).toString(), weightDecay: chosen.weightDecay, form, source: result.kind, runId: run.runId, date: run.startedAt.slice(0, 10) });
  }
  return [...byModel.values()];
}

export async function startLanguageClient(context: vscode.ExtensionContext, store: RunStore): Promise<LanguageClient> {
  const module = vscode.Uri.joinPath(context.extensionUri, 'dist', 'server.js').fsPath;
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc },
    debug: { module, transport: TransportKind.ipc },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: ['javascript', 'typescript', 'javascriptreact', 'typescriptreact'].map((language) => ({ scheme: 'file', language })),
    synchronize: { configurationSection: 'lrlab' },
    // A title cut off in a narrow column: its tooltip shows it whole.
    middleware: { provideCodeLenses: async (document, token, next) => withTitleTooltips(await next(document, token)) },
  };
  const client = new LanguageClient('lrlab', 'LR Lab', serverOptions, clientOptions);
  await client.start();
  const send = (): void => {
    const params: ResultsParams = { schedules: schedulesFrom(store), weightDecays: weightDecaysFrom(store) };
    void client.sendNotification(ResultsNotification.type, params);
  };
  send();
  let timer: NodeJS.Timeout | undefined;
  context.subscriptions.push(
    client,
    store.onDidChange(() => {
      if (timer !== undefined) return;
      timer = setTimeout(() => {
        timer = undefined;
        send();
      }, 300);
    }),
  );
  return client;
}
