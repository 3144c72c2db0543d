/** Test fixture writer: a model's files (model.json + weights.bin) as `--save` builds them (modelSave.ts), written plainly. */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type * as tfjs from '@tensorflow/tfjs';
import { modelFiles } from '../../src/engine/modelSave';
import type { Tf } from '../../src/engine/tfjs';

export async function writeModel(tf: Tf, model: tfjs.LayersModel, jsonFile: string): Promise<void> {
  mkdirSync(path.dirname(jsonFile), { recursive: true });
  for (const [file, contents] of await modelFiles(tf, model, jsonFile)) writeFileSync(file, contents);
}
