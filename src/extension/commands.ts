/**
 * Command handlers. "Preview schedule" works in any workspace (no model code runs): it asks
 * for the peak LR and length and prints the 1cycle schedule to the LR Lab output channel.
 */
import * as vscode from 'vscode';
import { COMMANDS } from './commandIds';
import { LrLabError, formatError } from '../protocol/errors';
import { oneCycle, scheduleSteps } from '../core/schedules';

export function registerCommands(context: vscode.ExtensionContext): void {
  const output = vscode.window.createOutputChannel('LR Lab', { log: true });
  context.subscriptions.push(
    output,
    vscode.commands.registerCommand(COMMANDS.previewSchedule, () => previewSchedule(output)),
  );
}

function positiveNumber(text: string): string | undefined {
  const value = Number(text);
  return text.trim() !== '' && Number.isFinite(value) && value > 0 ? undefined : 'Enter a number greater than 0, e.g. 0.1';
}

async function previewSchedule(output: vscode.LogOutputChannel): Promise<void> {
  const maxLr = await vscode.window.showInputBox({ title: 'LR Lab: 1cycle preview', prompt: 'Maximum learning rate', value: '0.1', validateInput: positiveNumber });
  if (maxLr === undefined) return;
  const total = await vscode.window.showInputBox({ title: 'LR Lab: 1cycle preview', prompt: 'Total training steps (batches × epochs)', value: '1000', validateInput: positiveNumber });
  if (total === undefined) return;
  try {
    const schedule = oneCycle({ maxLr: Number(maxLr), totalSteps: Math.round(Number(total)) });
    const rows = scheduleSteps(schedule, schedule.totalSteps ?? 0);
    const every = Math.max(1, Math.floor(rows.length / 20));
    output.info(`1cycle (PyTorch OneCycleLR defaults), max LR ${maxLr}, ${rows.length} steps:`);
    for (const row of rows.filter((r) => r.step % every === 0 || r.step === rows.length - 1)) {
      output.info(`  step ${row.step}: lr ${row.lr.toExponential(3)}, momentum ${row.momentum?.toFixed(3) ?? '—'}`);
    }
    output.show(true);
  } catch (error) {
    const message = error instanceof LrLabError ? formatError(error.toData()) : String(error);
    void vscode.window.showErrorMessage(`LR Lab: ${message}`);
  }
}
