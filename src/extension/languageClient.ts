/**
 * Starts the LR Lab language server (dist/server.js) and keeps it told which schedule each model
 * file would get: the latest range test of that file (the range the user dragged, else Smith's),
 * with cyclical momentum 0.95 → 0.85.
 */
import * as vscode from 'vscode';
import { LanguageClient, TransportKind } from 'vscode-languageclient/node';
import type { LanguageClientOptions, ServerOptions } from 'vscode-languageclient/node';
import { RESULTS_NOTIFICATION } from '../protocol/serverMessages';
import type { FileSchedule, ResultsParams } from '../protocol/serverMessages';
import type { RunStore } from './runStore';

export function schedulesFrom(store: RunStore): FileSchedule[] {
  const byModel = new Map<string, FileSchedule>();
  for (const run of store.all()) {
    if (run.result?.kind !== 'find-lr') continue;
    const range = run.chosenRange ?? run.result.range;
    if (range === null) continue;
    byModel.set(run.model, { uri: vscode.Uri.file(run.model).toString(), maxLr: range.maxLr, minLr: range.minLr, maxMomentum: 0.95, minMomentum: 0.85, runId: run.runId, date: run.startedAt.slice(0, 10) });
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
  };
  const client = new LanguageClient('lrlab', 'LR Lab', serverOptions, clientOptions);
  await client.start();
  const send = (): void => {
    const params: ResultsParams = { schedules: schedulesFrom(store) };
    void client.sendNotification(RESULTS_NOTIFICATION, params);
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
