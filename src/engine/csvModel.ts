/**
 * The no-code route: a tfjs Layers `model.json` (weights optional) plus a CSV file. No file of
 * the user's changes. `createModel` rebuilds the model synchronously from the loaded topology
 * (`fromConfig`), so each range test starts from fresh initializers — or, when model.json has
 * weights, from those saved weights.
 *
 * `--label species`: one column of class indices (0..units-1; one-hot encoded for a softmax
 * output) or of values (one output unit). `--label c0,c1,c2`: several columns that are already
 * one-hot. Every other column is a numeric feature.
 */
import type * as tfjs from '@tensorflow/tfjs';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { LrLabError } from '../protocol/errors';
import type { UserModelModule } from './modelFile';
import type { Tf } from './tfjs';
import { fileSystemIO } from './tfjs';

export interface CsvModelOptions {
  readonly modelJson: string;
  readonly data: string;
  readonly label: string;
}

export interface ParsedCsv {
  readonly header: string[];
  readonly rows: string[][];
}

/** RFC 4180-ish: commas, quoted fields with "" escapes, CRLF or LF. */
export function parseCsv(text: string): ParsedCsv {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      field = '';
      if (row.length > 1 || row[0] !== '') rows.push(row);
      row = [];
    } else field += c;
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  const [header, ...body] = rows;
  return { header: (header ?? []).map((h) => h.trim()), rows: body };
}

function csvError(file: string, message: string, fix: string): LrLabError {
  return new LrLabError('data', message, { file, fix });
}

/** Numeric features and labels from the CSV, with errors that name the row and column. */
export function readCsvData(file: string, label: string, outputUnits: number): { xs: number[][]; ys: number[][]; features: string[] } {
  if (!existsSync(file)) throw csvError(file, `CSV file not found: ${file}.`, 'Check --data.');
  const { header, rows } = parseCsv(readFileSync(file, 'utf8'));
  if (header.length === 0) throw csvError(file, `${path.basename(file)} is empty.`, 'The first row must name the columns.');
  const labelColumns = label.split(',').map((l) => l.trim());
  const labelIndex = labelColumns.map((name) => {
    const i = header.indexOf(name);
    if (i < 0) throw new LrLabError('bad-option', `Label column '${name}' is not in ${path.basename(file)} (columns: ${header.join(', ')}).`, { option: 'label', file });
    return i;
  });
  const featureIndex = header.map((_, i) => i).filter((i) => !labelIndex.includes(i));
  if (featureIndex.length === 0) throw csvError(file, `${path.basename(file)} has no feature columns besides the label.`, 'Add the input columns.');
  if (rows.length === 0) throw csvError(file, `${path.basename(file)} has a header but no data rows.`, 'Add data rows.');
  const xs: number[][] = [];
  const ys: number[][] = [];
  rows.forEach((row, r) => {
    const line = r + 2; // 1-based, after the header
    if (row.length !== header.length) throw csvError(file, `Row ${line} of ${path.basename(file)} has ${row.length} cells; the header has ${header.length}.`, 'Every row needs a value for every column.');
    const number = (i: number): number => {
      const cell = (row[i] ?? '').trim();
      if (cell === '') throw csvError(file, `Row ${line}, column '${header[i] ?? i}' of ${path.basename(file)} is empty.`, 'Fill or drop rows with missing cells.');
      const value = Number(cell);
      if (!Number.isFinite(value)) throw csvError(file, `Row ${line}, column '${header[i] ?? i}' of ${path.basename(file)} is '${cell}', not a number.`, 'Encode non-numeric columns as numbers (e.g. one-hot) before training.');
      return value;
    };
    xs.push(featureIndex.map(number));
    const labels = labelIndex.map(number);
    if (labelIndex.length > 1 || outputUnits === 1) {
      ys.push(labels);
    } else {
      const k = labels[0]!;
      if (!Number.isInteger(k) || k < 0 || k >= outputUnits) {
        throw new LrLabError('loss', `Row ${line}: label '${label}' is ${k}, but the model has ${outputUnits} output classes (0..${outputUnits - 1}).`, { file, fix: 'Use class indices 0..units-1, or give one-hot columns as --label a,b,c.' });
      }
      ys.push(Array.from({ length: outputUnits }, (_, j) => (j === k ? 1 : 0)));
    }
  });
  return { xs, ys, features: featureIndex.map((i) => header[i]!) };
}

export async function loadLayersModelWithCsv(options: CsvModelOptions, tf: Tf): Promise<UserModelModule> {
  const modelJson = path.resolve(options.modelJson);
  if (!existsSync(modelJson)) throw new LrLabError('model-file', `Model file not found: ${modelJson}.`, { file: modelJson });
  let template: tfjs.LayersModel;
  try {
    template = await tf.loadLayersModel(fileSystemIO(tf, modelJson));
  } catch (error) {
    if (error instanceof LrLabError) throw error;
    throw new LrLabError('model-file', `${path.basename(modelJson)} could not be loaded as a tfjs Layers model: ${error instanceof Error ? error.message.split('\n')[0] ?? '' : String(error)}.`, { file: modelJson, fix: 'Save it with model.save(...) from tfjs or convert it with tensorflowjs_converter (Layers format).' });
  }
  const raw = JSON.parse(readFileSync(modelJson, 'utf8')) as { weightsManifest?: unknown[] };
  const hasWeights = Array.isArray(raw.weightsManifest) && raw.weightsManifest.length > 0;
  const savedWeights = hasWeights ? template.getWeights() : [];
  const configJson = JSON.stringify(template.getConfig());
  const isSequential = template instanceof tf.Sequential;
  const units = template.outputs[0]?.shape.at(-1) ?? 1;
  const data = path.resolve(options.data);
  return {
    file: modelJson,
    createModel: () => {
      const config = JSON.parse(configJson) as tfjs.serialization.ConfigDict;
      const model = (isSequential ? tf.Sequential.fromConfig(tf.Sequential, config) : tf.LayersModel.fromConfig(tf.LayersModel, config)) as tfjs.LayersModel;
      if (hasWeights) model.setWeights(savedWeights);
      return model;
    },
    loadData: async () => {
      const { xs, ys } = readCsvData(data, options.label, units);
      return { train: { xs, ys } };
    },
  };
}
