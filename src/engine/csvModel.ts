/**
 * The no-code route: a tfjs Layers `model.json` (weights optional) plus a CSV file, used as a
 * `UserModelModule` without any file of the user's changing.
 *
 * - `createModel` builds a new model on each call from the topology `fileSystemIO` read:
 *   synchronously (`fromConfig`), with the saved weights when model.json has a
 *   `weightsManifest`, else with fresh initializers; compiled with model.json's
 *   `trainingConfig` when it has one, so its loss and optimizer count as the user's.
 * - `loadData` parses the CSV (a header row; `,` `;` or tab, sniffed from the header; quoted
 *   fields). Every column but the label is a numeric feature. `--label species`: one column of
 *   class indices (0..units-1) or class names (sorted, then numbered), one-hot encoded for a
 *   multi-unit output — or kept as indices when model.json's loss is
 *   sparseCategoricalCrossentropy — and taken as-is for a one-unit output. `--label a,b,c`:
 *   several columns that already are the targets, one per output unit.
 */
import type * as tfjs from '@tensorflow/tfjs';
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { LrLabError } from '../protocol/errors';
import type { UserModelModule } from './modelFile';
import { notRegularFile } from './modelFile';
import type { Tf } from './tfjs';
import { fileSystemIO } from './fileSystemIO';
import { firstLine, toLrLabError } from './errorMapping';
import { formatBytes } from '../protocol/format';

export interface CsvModelOptions {
  readonly modelJson: string;
  /** The CSV file. */
  readonly data: string;
  /** The label column, or comma-separated columns that already hold the targets. */
  readonly label: string;
}

export interface ParsedCsv {
  readonly header: string[];
  /** Data rows, with the 1-based line of the file each starts on. */
  readonly rows: string[][];
  readonly lines: number[];
}

function sniffDelimiter(text: string): string {
  const end = text.search(/\r?\n/);
  const header = end < 0 ? text : text.slice(0, end);
  const counts = [',', ';', '\t'].map((d) => ({ d, n: header.split(d).length - 1 }));
  counts.sort((a, b) => b.n - a.n);
  return counts[0] !== undefined && counts[0].n > 0 ? counts[0].d : ',';
}

/** RFC 4180-ish: quoted fields with "" escapes, CRLF or LF, a BOM, blank lines skipped. */
export function parseCsv(text: string, delimiter = sniffDelimiter(text.replace(/^\uFEFF/, ''))): ParsedCsv {
  const source = text.replace(/^\uFEFF/, '');
  const rows: string[][] = [];
  const lines: number[] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  let line = 1;
  let rowLine = 1;
  const endRow = (): void => {
    row.push(field);
    field = '';
    if (row.length > 1 || row[0]?.trim() !== '') {
      rows.push(row);
      lines.push(rowLine);
    }
    row = [];
  };
  for (let i = 0; i < source.length; i++) {
    const c = source[i]!;
    if (quoted) {
      if (c === '"' && source[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') {
        quoted = false;
      } else {
        if (c === '\n') line++;
        field += c;
      }
    } else if (c === '"') {
      quoted = true;
    } else if (c === delimiter) {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && source[i + 1] === '\n') i++;
      endRow();
      line++;
      rowLine = line;
    } else {
      field += c;
    }
  }
  if (field !== '' || row.length > 0) endRow();
  const [header, ...body] = rows;
  return { header: (header ?? []).map((h) => h.trim()), rows: body, lines: lines.slice(1) };
}

function csvError(file: string, message: string, fix: string): LrLabError {
  return new LrLabError('data', message, { file, fix });
}

export interface CsvData {
  readonly xs: number[][];
  readonly ys: number[][];
  readonly features: readonly string[];
  /** Class names in index order when the label column held names; else `null`. */
  readonly classes: readonly string[] | null;
}

export interface CsvLabelOptions {
  /** Units of the model's output layer. */
  readonly outputUnits: number;
  /** Keep class indices (one per row) instead of one-hot rows. */
  readonly sparse?: boolean;
}

/** The largest CSV read (V8's longest string is ~512 M characters). */
export const MAX_CSV_BYTES = 500 * 1000 * 1000;

/** Numeric features and labels from the CSV, with errors that name the row, column and value. */
export function readCsvData(file: string, label: string, options: CsvLabelOptions): CsvData {
  const name = path.basename(file);
  if (!existsSync(file)) throw new LrLabError('bad-option', `CSV file not found: ${file}.`, { option: 'data', file, fix: 'Check the --data path (relative paths are resolved from the current folder).' });
  const stat = statSync(file);
  if (stat.isDirectory()) throw new LrLabError('bad-option', `--data ${file} is a folder, not a CSV file.`, { option: 'data', file, fix: 'Give the path of the .csv file itself.' });
  if (!stat.isFile()) throw notRegularFile(file, stat, 'bad-option', 'Save the rows to a .csv file and give its path.', 'data');
  // Read whole as text: past V8's longest string it cannot be (a 2 GB CSV took 18 s and 2.2 GB, then
  // read "model.json: loadData() threw … Fix loadData() in the model file").
  if (stat.size > MAX_CSV_BYTES) {
    throw new LrLabError('bad-option', `--data ${name} is ${formatBytes(stat.size)}: LR Lab reads a CSV whole, up to ${formatBytes(MAX_CSV_BYTES)}.`, { option: 'data', file, fix: 'Give a sample of its rows (a range test needs thousands, not millions), or read the data in a model file\'s loadData().' });
  }
  const { header, rows, lines } = parseCsv(readFileSync(file, 'utf8'));
  if (header.length === 0) throw csvError(file, `${name} is empty.`, 'The first row must name the columns, e.g. x1,x2,label.');
  // A first row of numbers is data, not column names: read as the header, it named the columns
  // "0.000", "1.842", … and the row was lost.
  if (header.every((h) => h !== '' && Number.isFinite(Number(h)))) {
    throw csvError(file, `The first row of ${name} (${header.slice(0, 4).join(', ')}${header.length > 4 ? ', …' : ''}) is numbers, not column names: LR Lab reads the first row as the header.`, `Add a header row naming the columns (e.g. ${header.map((_, i) => (i === header.length - 1 ? 'label' : `x${i + 1}`)).slice(-3).join(',')}), and give --label the label column's name.`);
  }
  const labelColumns = label.split(',').map((l) => l.trim()).filter((l) => l !== '');
  if (labelColumns.length === 0) throw new LrLabError('bad-option', 'The label column name is empty.', { option: 'label', fix: `Name one of the columns of ${name}: ${header.join(', ')}.` });
  const labelIndex = labelColumns.map((column) => {
    const i = header.indexOf(column);
    if (i < 0) {
      throw new LrLabError('bad-option', `Label column '${column}' is not in ${name} (columns: ${header.join(', ')}).`, { option: 'label', file, fix: 'Give --label one of these column names (they are case-sensitive).' });
    }
    return i;
  });
  const featureIndex = header.map((_, i) => i).filter((i) => !labelIndex.includes(i));
  if (featureIndex.length === 0) throw csvError(file, `${name} has no feature columns besides the label.`, 'Add the input columns to the CSV.');
  if (rows.length === 0) throw csvError(file, `${name} has a header but no data rows.`, 'Add data rows below the header.');

  const units = options.outputUnits;
  const multi = labelIndex.length > 1;
  if (multi && labelIndex.length !== units) {
    throw new LrLabError('shape', `--label names ${labelIndex.length} columns but the model has ${units} output units.`, { option: 'label', file, fix: `Name ${units} target column${units === 1 ? '' : 's'}, or one column of class indices.` });
  }

  const cell = (row: string[], r: number, i: number): string => {
    const value = (row[i] ?? '').trim();
    if (value === '') {
      throw csvError(file, `Row ${lines[r]}, column '${header[i] ?? i}' of ${name} is empty.`, 'Fill in or drop the rows with missing cells.');
    }
    return value;
  };
  const numeric = (row: string[], r: number, i: number): number => {
    const text = cell(row, r, i);
    // Number() reads 0x10 as 16 (and 0b, 0o likewise): a CSV's numbers are decimal.
    if (/^[+-]?0[xXbBoO]/.test(text.trim())) {
      throw csvError(file, `Row ${lines[r]}, column '${header[i] ?? i}' of ${name} is '${text}', a ${/^[+-]?0[xX]/.test(text.trim()) ? 'hexadecimal' : /^[+-]?0[bB]/.test(text.trim()) ? 'binary' : 'octal'} literal, not a decimal number.`, 'Write the values as decimal numbers.');
    }
    const value = Number(text);
    if (!Number.isFinite(value)) {
      throw csvError(file, `Row ${lines[r]}, column '${header[i] ?? i}' of ${name} is '${text}', not a number.`, 'Encode non-numeric feature columns as numbers (e.g. one-hot columns) before training, or drop them.');
    }
    return value;
  };

  const xs: number[][] = [];
  const rawLabels: string[][] = [];
  rows.forEach((row, r) => {
    if (row.length !== header.length) {
      throw csvError(file, `Row ${lines[r]} of ${name} has ${row.length} cells; the header has ${header.length}.`, 'Every row needs one value per column (quote values that contain the delimiter).');
    }
    xs.push(featureIndex.map((i) => numeric(row, r, i)));
    rawLabels.push(labelIndex.map((i) => cell(row, r, i)));
  });

  if (multi) {
    const ys = rawLabels.map((labels, r) => labels.map((_, j) => numeric(rows[r]!, r, labelIndex[j]!)));
    return { xs, ys, features: featureIndex.map((i) => header[i]!), classes: null };
  }
  const column = labelColumns[0]!;
  const texts = rawLabels.map((labels) => labels[0]!);
  const named = texts.some((t) => !Number.isFinite(Number(t)));
  const classes = named ? [...new Set(texts)].sort() : null;
  const values = named ? texts.map((t) => classes!.indexOf(t)) : texts.map(Number);
  if (classes !== null && classes.length > Math.max(units, 2)) {
    throw new LrLabError('shape', `Label column '${column}' has ${classes.length} classes (${classes.slice(0, 6).join(', ')}${classes.length > 6 ? ', …' : ''}) but the model has ${units} output unit${units === 1 ? '' : 's'}.`, {
      file,
      fix: `Give the last layer ${classes.length} units (softmax), or check the --label column.`,
    });
  }
  if (units === 1) return { xs, ys: values.map((v) => [v]), features: featureIndex.map((i) => header[i]!), classes };
  const ys = values.map((k, r) => {
    if (!Number.isInteger(k) || k < 0 || k >= units) {
      throw new LrLabError('loss', `Row ${lines[r]}: label '${column}' is ${texts[r]}, but the model has ${units} output classes (0..${units - 1}).`, {
        file,
        fix: `Use class indices 0..${units - 1} (or class names), or give one-hot target columns as --label a,b,c.`,
      });
    }
    return options.sparse === true ? [k] : Array.from({ length: units }, (_, j) => (j === k ? 1 : 0));
  });
  return { xs, ys, features: featureIndex.map((i) => header[i]!), classes };
}

interface ModelJsonFile {
  weightsManifest?: unknown;
  trainingConfig?: tfjs.io.TrainingConfig;
}

function lossNameOf(trainingConfig: tfjs.io.TrainingConfig | undefined): string | undefined {
  const loss = trainingConfig?.loss as unknown;
  if (typeof loss === 'string') return loss;
  if (Array.isArray(loss) && typeof loss[0] === 'string') return loss[0];
  return undefined;
}

/** A model.json + CSV as a model module (file comment). */
export async function loadLayersModelWithCsv(options: CsvModelOptions, tf: Tf): Promise<UserModelModule> {
  const modelJson = path.resolve(options.modelJson);
  const name = path.basename(modelJson);
  if (!existsSync(modelJson)) throw new LrLabError('model-file', 'Model file not found.', { file: modelJson, fix: 'Check the path of the model.json.' });
  let template: tfjs.LayersModel;
  try {
    template = await tf.loadLayersModel(fileSystemIO(tf, modelJson));
  } catch (error) {
    if (error instanceof LrLabError) throw error;
    // tfjs's "Unknown layer: X. This may be due to one of the following reasons:" lost its reasons to the first line.
    const unknown = error instanceof Error ? /^Unknown (layer|activation|initializer|regularizer|constraint|loss|optimizer): (\S+?)\.? /.exec(error.message) : null;
    if (unknown !== null) {
      throw new LrLabError('model-file', `${name} uses a ${unknown[1]} tfjs does not know, ${unknown[2]}: a custom class, which a model.json names but cannot carry.`, {
        file: modelJson,
        fix: `Build the model in a model file (createModel() can register ${unknown[2]} with tf.serialization.registerClass and load this model.json), or save it without custom classes.`,
        cause: error,
      });
    }
    // Out of memory while tfjs built its weights: the layers are too large for this machine, not a file to save again
    // (a 1e9-unit dense layer read "could not be loaded … Save it with model.save(...)").
    if (toLrLabError(error).code === 'out-of-memory') {
      throw new LrLabError('out-of-memory', `${name}'s layers ran out of memory as tfjs built their weights (${firstLine(error)}): the model is too large for this machine.`, {
        file: modelJson,
        fix: `Check the sizes in ${name}'s modelTopology (units, filters, the input shape): one layer of 1e9 units holds billions of weights.`,
        cause: error,
      });
    }
    throw new LrLabError('model-file', `${name} could not be loaded as a tfjs Layers model: ${error instanceof Error ? (error.message.split('\n')[0] ?? '') : String(error)}.`, {
      file: modelJson,
      fix: 'Save it with model.save(...) from tfjs, or convert it with tensorflowjs_converter --output_format tfjs_layers_model.',
      cause: error,
    });
  }
  const json = JSON.parse(readFileSync(modelJson, 'utf8')) as ModelJsonFile;
  const hasWeights = Array.isArray(json.weightsManifest) && json.weightsManifest.length > 0;
  const trainingConfig = json.trainingConfig;
  const configJson = JSON.stringify(template.getConfig());
  const isSequential = template instanceof tf.Sequential;
  const units = template.outputs[0]?.shape.at(-1) ?? 1;
  // Kept past the template, which is disposed with its variables.
  const savedWeights = hasWeights ? template.getWeights().map((w) => tf.keep(tf.clone(w))) : [];
  const optimizer = template.optimizer as tfjs.Optimizer | undefined;
  template.dispose();
  optimizer?.dispose();

  const loss = lossNameOf(trainingConfig);
  const sparse = loss !== undefined && loss.toLowerCase().replace(/[_\s]/g, '') === 'sparsecategoricalcrossentropy';
  const data = path.resolve(options.data);
  return {
    file: modelJson,
    loss,
    createModel: () => {
      const config = JSON.parse(configJson) as tfjs.serialization.ConfigDict;
      const model = (isSequential ? tf.Sequential.fromConfig(tf.Sequential, config) : tf.LayersModel.fromConfig(tf.LayersModel, config)) as tfjs.LayersModel;
      if (hasWeights) model.setWeights(savedWeights);
      if (trainingConfig !== undefined) model.loadTrainingConfig(trainingConfig as Parameters<typeof model.loadTrainingConfig>[0]);
      return model;
    },
    loadData: async () => {
      const { xs, ys } = readCsvData(data, options.label, { outputUnits: units, sparse });
      return { train: { xs, ys } };
    },
  };
}
