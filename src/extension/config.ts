/**
 * Settings → engine requests. One name per option: `lrlab.startLr` is `--start-lr` is `startLr`;
 * which settings a request of each command carries comes from the option table
 * (`src/protocol/options.ts`), and each one it carries is marked with its source, `setting`.
 * Only settings the user set explicitly are sent (any level, language-specific too): a setting
 * left at its default never overrides the model's compile or the engine's own default.
 */
import * as vscode from 'vscode';
import type { BatchSizeRequest, FindLrRequest, MomentumRequest, RecipeRequest, SweepRequest, TrainRequest } from '../protocol/requests';
import type { OptimizerName } from '../protocol/results';
import type { CommandName, OptionName, OptionValue, RequestSources, SettingName, SettingsOf } from '../protocol/options';
import { OPTIONS, settingsOf } from '../protocol/options';
import type { EnginePriority } from '../protocol/engineRpc';
import { settingValue } from '../protocol/optionRules';
import { explicitValue, settingTypeError } from './settings';

/** The scope settings are read in: the model file's folder and language. */
function scopeOf(model: vscode.Uri): vscode.ConfigurationScope {
  const extension = model.path.slice(model.path.lastIndexOf('.') + 1).toLowerCase();
  const languageId = /^[mc]?ts$/.test(extension) ? 'typescript' : /^[mc]?js$/.test(extension) ? 'javascript' : extension;
  return { uri: model, languageId };
}

type SettingFields<C extends CommandName> = { [K in SettingsOf<C>]?: OptionValue<K> } & { readonly sources: RequestSources };

/** The given settings the user set explicitly, as request fields of their types; a value of another type is refused, naming the setting. */
function readSettings<K extends SettingName>(config: vscode.WorkspaceConfiguration, names: readonly K[]): { [P in K]?: OptionValue<P> } {
  const fields: { [P in K]?: OptionValue<P> } = {};
  for (const name of names) {
    const raw = explicitValue(config.inspect(name));
    const wrongType = settingTypeError(name, raw);
    if (wrongType !== null) throw wrongType;
    const value = settingValue(name, raw);
    if (value !== undefined) fields[name] = value;
  }
  return fields;
}

/** The `lrlab.*` settings that are options of `command`, as request fields marked `setting`. */
export function fieldsFromSettings<C extends CommandName>(command: C, model: vscode.Uri): SettingFields<C> {
  const fields = readSettings(vscode.workspace.getConfiguration('lrlab', scopeOf(model)), settingsOf(command));
  const sources: Partial<Record<OptionName, 'setting'>> = {};
  for (const name of Object.keys(fields)) sources[name as OptionName] = 'setting';
  return { ...fields, sources };
}

/** The model source of a request. */
function source(model: vscode.Uri, workspace: string | undefined): { model: string; workspace?: string } {
  return workspace === undefined ? { model: model.fsPath } : { model: model.fsPath, workspace };
}

export function findLrRequest(model: vscode.Uri, workspace: string | undefined): FindLrRequest {
  return { kind: 'find-lr', ...source(model, workspace), ...fieldsFromSettings('find-lr', model) };
}

export function sweepRequest(model: vscode.Uri, workspace: string | undefined, lists: { wd?: readonly number[]; dropout?: readonly number[] }): SweepRequest {
  return { kind: 'sweep', ...source(model, workspace), ...fieldsFromSettings('sweep', model), ...remoteFields(), ...lists };
}

export function trainRequest(model: vscode.Uri, workspace: string | undefined, run: Pick<TrainRequest, 'policy' | 'schedule' | 'epochs' | 'lrFoundWith' | 'lrFoundAtBatch'>): TrainRequest {
  return { kind: 'train', ...source(model, workspace), ...fieldsFromSettings('train', model), ...run };
}

export function momentumRequest(model: vscode.Uri, workspace: string | undefined, maxLr: number, found?: { readonly lrFoundWith?: OptimizerName; readonly lrFoundAtBatch?: number }): MomentumRequest {
  return { kind: 'momentum', ...source(model, workspace), ...fieldsFromSettings('short-runs', model), ...remoteFields(), maxLr, ...found };
}

export function batchSizeRequest(model: vscode.Uri, workspace: string | undefined, sizes: readonly number[], budgetSeconds: number): BatchSizeRequest {
  return { kind: 'batch-size', ...source(model, workspace), ...fieldsFromSettings('batch-size', model), ...remoteFields(), sizes, budgetSeconds };
}

export function recipeRequest(model: vscode.Uri, workspace: string | undefined, budgetSeconds: number): RecipeRequest {
  return { kind: 'recipe', ...source(model, workspace), ...fieldsFromSettings('recipe', model), ...remoteFields(), budgetSeconds };
}

/** `lrlab.enginePriority`: the CPU priority of the next engine started (read at each start). */
export function enginePriority(): EnginePriority {
  const value = vscode.workspace.getConfiguration('lrlab').get<string>('enginePriority', OPTIONS.enginePriority.default);
  return value === 'low' ? 'low' : 'normal';
}

export function nodePath(): string | undefined {
  const value = vscode.workspace.getConfiguration('lrlab').get<string>('nodePath', '');
  return value.trim() === '' ? undefined : value.trim();
}

/**
 * `lrlab.redisUrl` as the request's `redis` (`--redis` on the CLI): the studies whose trials can
 * run on workers send it; empty means everything runs here. A machine setting (a workspace cannot
 * point the engine at its own Redis), ignored in untrusted workspaces.
 */
function remoteFields(): { redis?: string } {
  const url = vscode.workspace.getConfiguration('lrlab').get<string>('redisUrl', '').trim();
  return url === '' ? {} : { redis: url };
}
