/**
 * Settings → engine options. One name per option: `lrlab.startLr` is `--start-lr` is `startLr`.
 * The table here is checked against package.json `contributes.configuration` by a unit test.
 */
import * as vscode from 'vscode';
import type { FindLrRequest } from '../protocol/requests';
import type { BackendChoice } from '../protocol/results';
import { FIND_LR_SETTINGS } from './settingNames';


export function findLrRequest(model: string, workspace: string | undefined): FindLrRequest {
  const config = vscode.workspace.getConfiguration('lrlab');
  const request: Record<string, unknown> = { kind: 'find-lr', model };
  if (workspace !== undefined) request['workspace'] = workspace;
  for (const key of FIND_LR_SETTINGS) {
    const value = config.get<number>(key);
    if (typeof value === 'number') request[key] = value;
  }
  request['backend'] = config.get<BackendChoice>('backend', 'auto');
  const seed = config.get<number | null>('seed', null);
  if (typeof seed === 'number') request['seed'] = seed;
  return request as unknown as FindLrRequest;
}

export function nodePath(): string | undefined {
  const value = vscode.workspace.getConfiguration('lrlab').get<string>('nodePath', '');
  return value.trim() === '' ? undefined : value.trim();
}

/**
 * `lrlab.redisUrl` as the request's `redis` (`--redis` on the CLI): the studies whose trials can
 * run on workers send it; empty means everything runs here.
 */
export function remoteFields(): { redis?: string } {
  const url = vscode.workspace.getConfiguration('lrlab').get<string>('redisUrl', '').trim();
  return url === '' ? {} : { redis: url };
}

/** The fields every model request shares, from settings. */
export function commonRequestFields(model: string, workspace: string | undefined): Record<string, unknown> {
  const config = vscode.workspace.getConfiguration('lrlab');
  const request: Record<string, unknown> = { model, backend: config.get<BackendChoice>('backend', 'auto') };
  if (workspace !== undefined) request['workspace'] = workspace;
  const seed = config.get<number | null>('seed', null);
  if (typeof seed === 'number') request['seed'] = seed;
  const batchSize = config.get<number>('batchSize');
  if (typeof batchSize === 'number') request['batchSize'] = batchSize;
  return request;
}
