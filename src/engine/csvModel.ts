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
import { activationOf } from './loss';
import { FLOAT32_MAX } from './readTensor';
import { firstLine, toLrLabError } from './errorMapping';
import { formatBytes } from '../protocol/format';

export interface CsvModelOptions {
  readonly modelJson: string;
  /** The CSV file. */
  readonly data: string;
  /** The label column, or comma-separated columns that already hold the targets. */
  readonly label: string;
  /** Stops reading the CSV (Ctrl-C, a cancelled run). */
  readonly signal?: AbortSignal;
  /** The share of the CSV read so far, now and then. */
  readonly onProgress?: (fraction: number, rows: number) => void;
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

/** One record of a CSV: its fields and the 1-based line of the file it starts on. */
interface CsvRecord {
  readonly fields: string[];
  readonly line: number;
  /** Characters of the source read so far. */
  readonly end: number;
}

/**
 * RFC 4180-ish, one record at a time (a whole file's cells as strings took ~30x its size in memory:
 * a 150 MB CSV peaked at 3.5 GB, a 300 MB one ran Node out of heap): quoted fields with "" escapes,
 * CRLF, LF or CR, a BOM, blank lines skipped. A quote still open at the end of the file is an error
 * naming the line it opened on (it swallowed the rest of the file, which then read as one short row).
 */
function* csvRecords(source: string, delimiter: string, unclosed: (line: number) => never): Generator<CsvRecord> {
  let row: string[] = [];
  let field = '';
  let quoted = false;
  let quoteLine = 1;
  let line = 1;
  let rowLine = 1;
  const n = source.length;
  for (let i = 0; i < n; i++) {
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
      quoteLine = line;
    } else if (c === delimiter) {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && source[i + 1] === '\n') i++;
      row.push(field);
      if (row.some((f) => f.trim() !== '')) yield { fields: row, line: rowLine, end: i + 1 };
      row = [];
      field = '';
      line++;
      rowLine = line;
    } else {
      field += c;
    }
  }
  if (quoted) unclosed(quoteLine);
  if (field !== '' || row.length > 0) {
    row.push(field);
    if (row.some((f) => f.trim() !== '')) yield { fields: row, line: rowLine, end: n };
  }
}

/** The whole CSV as rows of strings (small files; readCsvData reads a file record by record). */
export function parseCsv(text: string, delimiter = sniffDelimiter(text.replace(/^\uFEFF/, ''))): ParsedCsv {
  const rows: string[][] = [];
  const lines: number[] = [];
  for (const record of csvRecords(text.replace(/^\uFEFF/, ''), delimiter, (line) => {
    throw new Error(`a quote opened on line ${line} is never closed`);
  })) {
    rows.push(record.fields);
    lines.push(record.line);
  }
  const [header, ...body] = rows;
  return { header: (header ?? []).map((h) => h.trim()), rows: body, lines: lines.slice(1) };
}

function csvError(file: string, message: string, fix: string): LrLabError {
  return new LrLabError('data', message, { file, fix });
}

export interface CsvData {
  /** `rows` × features, row-major. */
  readonly xs: Float32Array;
  /** `rows` × label width (one-hot units, class indices, or the target columns), row-major. */
  readonly ys: Float32Array;
  readonly rows: number;
  readonly labelWidth: number;
  readonly features: readonly string[];
  /** Class names in index order when the label column held names; else `null`. */
  readonly classes: readonly string[] | null;
  /** The 1-based line of the file each row starts on (a quoted value may span lines): messages name it. */
  readonly lines: Int32Array;
}

export interface CsvLabelOptions {
  /** Units of the model's output layer. */
  readonly outputUnits: number;
  /** Keep class indices (one per row) instead of one-hot rows. */
  readonly sparse?: boolean;
  /** The model's loss is a regression's (or, with none, its output is linear): one target column per output unit. */
  readonly regression?: boolean;
  /** The loss's name, for messages. */
  readonly lossName?: string;
  /** Stops the read between records (Ctrl-C, a cancelled run). */
  readonly signal?: AbortSignal;
  /** The share of the file read so far, now and then. */
  readonly onProgress?: (fraction: number, rows: number) => void;
}

/** The largest CSV read (V8's longest string is ~512 M characters). */
export const MAX_CSV_BYTES = 500 * 1000 * 1000;
/** Records read between yields to the event loop (a cancel, progress). */
const RECORDS_PER_SLICE = 20_000;

/** Growable float32 storage (a JS array of arrays held each number in 8+ bytes, each row in ~50 more). */
class Floats {
  private data = new Float32Array(1 << 16);
  length = 0;
  push(value: number): void {
    if (this.length === this.data.length) {
      const next = new Float32Array(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length++] = value;
  }
  done(): Float32Array {
    return this.data.slice(0, this.length);
  }
}

/**
 * The CSV's text, decoded from UTF-8; its bytes are not held past this call (for a 300 MB file they
 * were another 300 MB beside the text for the whole read). Not UTF-8 text (UTF-16, a gzip, Latin-1)
 * is refused: its "columns" printed as replacement characters and NULs.
 */
function csvText(file: string, name: string): string {
  const bytes = readFileSync(file);
  const binary = bytes.subarray(0, 4096).includes(0);
  const text = binary ? '' : bytes.toString('utf8');
  if (binary || text.slice(0, 4096).includes('\uFFFD')) {
    throw csvError(file, `${name} is not UTF-8 text${bytes[0] === 0x1f && bytes[1] === 0x8b ? ' (it is gzip-compressed)' : bytes[0] === 0xff || bytes[0] === 0xfe ? ' (it looks like UTF-16)' : ''}.`, 'Save it as a UTF-8 (or plain ASCII) CSV file; decompress it first if it is compressed.');
  }
  return text;
}

/**
 * Cells that stand for a missing value in the files users export (R's NA, pandas' NaN and None,
 * spreadsheets' #N/A, '?' in UCI datasets); compared lower-cased. They got the advice for a
 * column of words ("encode non-numeric feature columns as numbers"), not the one for a gap.
 */
const MISSING_MARKERS = new Set(['na', 'n/a', '#n/a', 'nan', 'null', 'none', '?']);
/** The markers a label column reads as missing; 'None' may well be a class there. */
const MISSING_LABEL_MARKERS = new Set(['na', 'n/a', '#n/a', 'nan', 'null', '?']);

/** Losses of a regression (tfjs names and aliases, lower-cased without separators). */
const REGRESSION_LOSSES = new Set(['mse', 'mae', 'mape', 'msle', 'meansquarederror', 'meanabsoluteerror', 'meanabsolutepercentageerror', 'meansquaredlogarithmicerror', 'logcosh', 'huber', 'huberloss', 'poisson']);


/**
 * A cell's number, or NaN. Beyond plain decimals: a decimal comma in a file separated by ';' or tabs
 * (spreadsheets write `2,854` and `1.234,5` there in locales whose decimal mark is a comma), and
 * thousands separators in a comma-separated file (a quoted `"1,234.5"`).
 */
function csvNumber(text: string, delimiter: string): number {
  const plain = Number(text);
  if (!Number.isNaN(plain)) return plain;
  if (delimiter !== ',' && /^[+-]?(\d{1,3}(\.\d{3})+|\d+),\d+([eE][+-]?\d+)?$/.test(text)) return Number(text.replace(/\./g, '').replace(',', '.'));
  if (/^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$/.test(text)) return Number(text.replace(/,/g, ''));
  return Number.NaN;
}

/** A column name as a list shows it: quoted where it holds a comma, a quote or a line break (else `"species, name"` read as two columns). */
function shownColumn(name: string): string {
  return /[,"\r\n]/.test(name) ? JSON.stringify(name) : name;
}

/** Numeric features and labels from the CSV, with errors that name the row, column and value. */
export async function readCsvData(file: string, label: string, options: CsvLabelOptions): Promise<CsvData> {
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
  const source = csvText(file, name).replace(/^\uFEFF/, '');
  const delimiter = sniffDelimiter(source);
  const records = csvRecords(source, delimiter, (line) => {
    throw csvError(file, `A quote opened on line ${line} of ${name} is never closed: the rest of the file read as one value.`, 'Close the quote (a quote inside a quoted value is written "").');
  });
  const first = records.next();
  const header = first.done === true ? [] : first.value.fields.map((h) => h.trim());
  if (header.length === 0) throw csvError(file, `${name} is empty.`, 'The first row must name the columns, e.g. x1,x2,label.');
  // A first row of numbers is data, not column names: read as the header, it named the columns
  // "0.000", "1.842", … and the row was lost.
  if (header.every((h) => h !== '' && Number.isFinite(Number(h)))) {
    throw csvError(file, `The first row of ${name} (${header.slice(0, 4).join(', ')}${header.length > 4 ? ', …' : ''}) is numbers, not column names: LR Lab reads the first row as the header.`, `Add a header row naming the ${header.length} columns (e.g. ${header.length <= 4 ? header.map((_, i) => (i === header.length - 1 ? 'label' : `x${i + 1}`)).join(',') : `x1,x2,…,x${header.length - 1},label`}), and give --label the label column's name.`);
  }
  // A column whose name holds a comma is one column, not a list of them.
  const labelColumns = header.includes(label.trim()) ? [label.trim()] : label.split(',').map((l) => l.trim()).filter((l) => l !== '');
  if (labelColumns.length === 0) throw new LrLabError('bad-option', 'The label column name is empty.', { option: 'label', fix: `Name one of the columns of ${name}: ${header.map(shownColumn).join(', ')}.` });
  const repeated = labelColumns.find((c, i) => labelColumns.indexOf(c) !== i);
  if (repeated !== undefined) throw new LrLabError('bad-option', `--label names the column '${repeated}' twice.`, { option: 'label', file, fix: 'Name each target column once.' });
  const labelIndex = labelColumns.map((column) => {
    const i = header.indexOf(column);
    if (i < 0) {
      throw new LrLabError('bad-option', `Label column '${column}' is not in ${name} (columns: ${header.map(shownColumn).join(', ')}).`, { option: 'label', file, fix: 'Give --label one of these column names (they are case-sensitive; quote a name with a comma or spaces in the shell, e.g. --label "species, name").' });
    }
    return i;
  });
  const featureIndex = header.map((_, i) => i).filter((i) => !labelIndex.includes(i));
  if (featureIndex.length === 0) throw csvError(file, `${name} has no feature columns besides the label.`, 'Add the input columns to the CSV.');
  // A column without a name is most often a trailing delimiter on every line.
  const unnamed = header.indexOf('');
  if (unnamed >= 0) {
    // The first column unnamed is most often pandas' index (to_csv without index=False).
    const index = unnamed === 0 && header.length > 1;
    throw csvError(
      file,
      `Column ${unnamed + 1} of ${name} has no name in the header${unnamed === header.length - 1 ? ' (a delimiter at the end of the header line makes an empty last column)' : index ? " (a row index, as pandas' to_csv writes one unless index=False)" : ''}.`,
      index ? 'Save the file without the index (pandas: df.to_csv(path, index=False)), or drop that column, or name it and pass it in --label if it is a target.' : 'Name every column in the header, or remove the extra delimiter at the ends of the lines.',
    );
  }
  const duplicate = header.find((h, i) => header.indexOf(h) !== i);
  if (duplicate !== undefined) throw csvError(file, `${name} names the column '${duplicate}' twice in its header.`, 'Give every column its own name.');

  const units = options.outputUnits;
  const multi = labelIndex.length > 1;
  if (multi && labelIndex.length !== units) {
    throw new LrLabError('shape', `--label names ${labelIndex.length} columns but the model has ${units} output units.`, { option: 'label', file, fix: options.regression === true ? `Name ${units} target column${units === 1 ? '' : 's'}, one per output unit.` : `Name ${units} target column${units === 1 ? '' : 's'}, or one column of class indices.` });
  }
  // A regression's outputs are one target column each: one column for several outputs is not class indices.
  if (!multi && units > 1 && options.regression === true) {
    throw new LrLabError('shape', `--label names 1 column ('${labelColumns[0]}'), but the model has ${units} output units and a regression loss (${options.lossName ?? 'meanSquaredError'}): each output needs its target column.`, { option: 'label', file, fix: `Name ${units} target columns (--label a,b${units > 2 ? ',…' : ''}), or give a model with 1 output unit.` });
  }

  const cell = (fields: readonly string[], line: number, i: number): string => {
    const value = (fields[i] ?? '').trim();
    if (value === '') {
      throw csvError(file, `Row ${line}, column '${header[i] ?? i}' of ${name} is empty.`, 'Fill in or drop the rows with missing cells.');
    }
    return value;
  };
  const numeric = (fields: readonly string[], line: number, i: number): number => {
    const text = cell(fields, line, i);
    if (MISSING_MARKERS.has(text.toLowerCase())) {
      throw csvError(file, `Row ${line}, column '${header[i] ?? i}' of ${name} is '${text}', a missing value.`, 'Fill in or drop the rows with missing cells.');
    }
    // Number() reads 0x10 as 16 (and 0b, 0o likewise): a CSV's numbers are decimal.
    if (/^[+-]?0[xXbBoO]/.test(text)) {
      throw csvError(file, `Row ${line}, column '${header[i] ?? i}' of ${name} is '${text}', a ${/^[+-]?0[xX]/.test(text) ? 'hexadecimal' : /^[+-]?0[bB]/.test(text) ? 'binary' : 'octal'} literal, not a decimal number.`, 'Write the values as decimal numbers.');
    }
    const value = csvNumber(text, delimiter);
    if (!Number.isFinite(value)) {
      // A decimal comma where commas separate the fields (the value was quoted): said as such, not as a word.
      const comma = /^[+-]?\d+,\d+$/.test(text) && delimiter === ',';
      throw csvError(
        file,
        `Row ${line}, column '${header[i] ?? i}' of ${name} is '${text}', not a number${comma ? ' (a decimal comma: in a comma-separated file the decimal mark is a point)' : ''}.`,
        comma ? `Write the decimals with a point (${text.replace(',', '.')}), or save the file with ';' between fields, which reads decimal commas.` : 'Encode non-numeric feature columns as numbers (e.g. one-hot columns) before training, or drop them.',
      );
    }
    // Past float32's range the model computes Infinity: said here, by row and column (it read "train.xs sample 69 contains NaN or Infinity").
    if (Math.abs(value) > FLOAT32_MAX) {
      throw csvError(file, `Row ${line}, column '${header[i] ?? i}' of ${name} is '${text}', beyond the range of the float32 numbers a model computes in (±3.4e38).`, 'Rescale the column (e.g. to thousands or millions), or drop the row if the value is an error.');
    }
    return value;
  };

  const xs = new Floats();
  const targets = new Floats();
  // One label column: numbers, or class names (numbered in the order met, renumbered sorted at the end).
  const column = labelColumns[0]!;
  let named: boolean | null = null;
  let firstLabel: { line: number; text: string } | null = null;
  // The first label that reads as a missing value ('NA', '?'): a class name in a column of names, a gap in one of numbers.
  let firstMissing: { line: number; text: string } | null = null;
  const missingLabel = (at: { line: number; text: string }): LrLabError => csvError(file, `Row ${at.line}, label column '${column}' of ${name} is '${at.text}', a missing value in a column of numbers.`, 'Fill in or drop the rows with missing labels.');
  const classIds = new Map<string, number>();
  const classCounts: number[] = [];
  const lineOf: number[] = [];
  let rows = 0;
  for (let record = records.next(); record.done !== true; record = records.next()) {
    const { fields, line } = record.value;
    if (fields.length !== header.length) {
      throw csvError(file, `Row ${line} of ${name} has ${fields.length} cells; the header has ${header.length}.`, 'Every row needs one value per column (quote values that contain the delimiter).');
    }
    for (const i of featureIndex) xs.push(numeric(fields, line, i));
    if (multi) {
      for (const i of labelIndex) targets.push(numeric(fields, line, i));
    } else {
      const text = cell(fields, line, labelIndex[0]!);
      const value = csvNumber(text, delimiter);
      const isNumber = Number.isFinite(value) && !/^[+-]?0[xXbBoO]/.test(text);
      if (!isNumber && named !== true && MISSING_LABEL_MARKERS.has(text.toLowerCase())) {
        if (named === false) throw missingLabel({ line, text });
        // Before the column shows what it holds: kept as a class for now.
        firstMissing ??= { line, text };
      } else {
        if (named === null && isNumber && firstMissing !== null) throw missingLabel(firstMissing);
        named ??= !isNumber;
        firstLabel ??= { line, text };
      }
      if (named === isNumber && firstLabel !== null) {
        // A column of numbers with one 'NA' was read as class names (a regression's 197 values "classes"),
        // and names with one number made that number a class of its own.
        const [number, other] = isNumber ? [{ line, text }, firstLabel] : [firstLabel, { line, text }];
        throw csvError(file, `Label column '${column}' of ${name} mixes numbers and names: row ${number.line} is '${number.text}', row ${other.line} is '${other.text}'.`, `Make every label a number or every label a class name (row ${line}, '${text}', is the first unlike row ${firstLabel.line}: fill it in or drop it if it is a missing value).`);
      }
      if (named !== false) {
        let id = classIds.get(text);
        if (id === undefined) {
          id = classIds.size;
          classIds.set(text, id);
          classCounts.push(0);
        }
        classCounts[id]! += 1;
        targets.push(id);
      } else {
        targets.push(value);
      }
    }
    lineOf.push(line);
    rows++;
    if (rows % RECORDS_PER_SLICE === 0) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      if (options.signal?.aborted === true) throw new LrLabError('cancelled', `Cancelled while reading ${name}.`);
      options.onProgress?.(record.value.end / Math.max(1, source.length), rows);
    }
  }
  if (rows === 0) throw csvError(file, `${name} has a header but no data rows.`, 'Add data rows below the header.');
  const features = featureIndex.map((i) => header[i]!);
  if (multi) return { xs: xs.done(), ys: targets.done(), rows, labelWidth: labelIndex.length, features, classes: null, lines: Int32Array.from(lineOf) };

  const raw = targets.done();
  let classes: string[] | null = null;
  let texts = (r: number): string => String(Number(raw[r]!.toPrecision(7)));
  if (named !== false) {
    classes = [...classIds.keys()].sort();
    if (classes.length > Math.max(units, 2)) {
      const count = (c: string): number => classCounts[classIds.get(c)!]!;
      // Names that differ only in letter case or spacing, and missing-value markers, are most often not classes of their own.
      const groups = new Map<string, string[]>();
      for (const c of classes) {
        const k = c.toLowerCase().replace(/\s+/g, ' ');
        groups.set(k, [...(groups.get(k) ?? []), c]);
      }
      const variants = [...groups.values()].filter((g) => g.length > 1);
      const markers = classes.filter((c) => MISSING_LABEL_MARKERS.has(c.toLowerCase()));
      const quoted = (list: readonly string[]): string => list.map((c) => `'${c}'`).join(list.length === 2 ? ' and ' : ', ');
      const causes = [
        ...variants.map((g) => `${quoted(g)} differ only in letter case or spacing (LR Lab compares class names exactly)`),
        ...markers.map((c) => `'${c}' (${count(c)} row${count(c) === 1 ? '' : 's'}) reads as a missing value`),
      ];
      const merged = classes.length - variants.reduce((n, g) => n + g.length - 1, 0) - markers.length;
      throw new LrLabError('shape', `Label column '${column}' has ${classes.length} classes (${classes.slice(0, 8).map((c) => `${c}: ${count(c)}`).join(', ')}${classes.length > 8 ? ', …' : ''}) but the model has ${units} output unit${units === 1 ? '' : 's'}${causes.length === 0 ? '' : `; ${causes.join('; ')}`}.`, {
        file,
        fix: causes.length > 0 && merged <= Math.max(units, 2) ? `Spell each class one way${markers.length > 0 ? ' and fill in or drop the rows with missing labels' : ''} in ${name}; or give the last layer ${classes.length} units if they are all classes.` : `Give the last layer ${classes.length} units (softmax), or check the --label column.`,
      });
    }
    const order = [...classIds.keys()];
    const sortedId = new Map(classes.map((c, k) => [c, k]));
    const remap = order.map((c) => sortedId.get(c)!);
    for (let r = 0; r < rows; r++) raw[r] = remap[raw[r]!]!;
    const names = classes;
    texts = (r) => names[raw[r]!]!;
  }
  if (units === 1) return { xs: xs.done(), ys: raw, rows, labelWidth: 1, features, classes, lines: Int32Array.from(lineOf) };
  const width = options.sparse === true ? 1 : units;
  const ys = new Float32Array(rows * width);
  for (let r = 0; r < rows; r++) {
    const k = raw[r]!;
    if (!Number.isInteger(k) || k < 0 || k >= units) {
      throw new LrLabError('loss', `Row ${lineOf[r]}: label '${column}' is ${texts(r)}, but the model has ${units} output classes (0..${units - 1}).`, {
        file,
        fix: `Use class indices 0..${units - 1} (or class names), or give one-hot target columns as --label a,b,c.`,
      });
    }
    if (options.sparse === true) ys[r] = k;
    else ys[r * units + k] = 1;
  }
  return { xs: xs.done(), ys, rows, labelWidth: width, features, classes, lines: Int32Array.from(lineOf) };
}

interface ModelJsonFile {
  weightsManifest?: unknown;
  trainingConfig?: tfjs.io.TrainingConfig;
  generatedBy?: unknown;
  modelTopology?: { training_config?: unknown };
}

type Dict = Record<string, unknown>;
const isDict = (v: unknown): v is Dict => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * A model.json's training configuration as tfjs-layers' `loadTrainingConfig` reads it. tfjs writes it as
 * `trainingConfig`; the Keras converter (tensorflowjs_converter on an .h5) leaves Keras's own inside
 * `modelTopology.training_config`, where tfjs never looks: its loss and optimizer were lost (a Keras
 * Adam model was range-tested with SGD, and told to save with includeOptimizer). Keras's optimizer is
 * given tfjs's class and fields: 'Custom>Adam' (Keras 2.11+) is Adam, SGD with momentum is tfjs's
 * Momentum, RMSprop's rho is tfjs's decay. Keras's metrics are dropped (LR Lab reads its own; their
 * nested wrappers failed the load).
 */
function modelJsonTrainingConfig(json: ModelJsonFile): tfjs.io.TrainingConfig | undefined {
  const nested = isDict(json.modelTopology) ? json.modelTopology.training_config : undefined;
  const raw: unknown = json.trainingConfig ?? nested;
  if (!isDict(raw)) return undefined;
  const fromKeras = json.trainingConfig === undefined || (typeof json.generatedBy === 'string' && /^keras\b/i.test(json.generatedBy));
  const optimizer = raw['optimizer_config'];
  const className = isDict(optimizer) && typeof optimizer['class_name'] === 'string' ? optimizer['class_name'] : null;
  if (!fromKeras && (className === null || !className.startsWith('Custom>'))) return raw as unknown as tfjs.io.TrainingConfig;
  const out: Dict = { ...raw, metrics: undefined, weighted_metrics: undefined };
  if (out['loss_weights'] === null) delete out['loss_weights'];
  if (out['sample_weight_mode'] === null) delete out['sample_weight_mode'];
  const config = isDict(optimizer) && isDict(optimizer['config']) ? optimizer['config'] : null;
  const kind = className?.replace(/^Custom>/, '').toLowerCase() ?? null;
  if (config !== null && kind !== null) {
    const num = (key: string): number | undefined => (typeof config[key] === 'number' && Number.isFinite(config[key]) ? config[key] : undefined);
    // A schedule's dict in place of a number: its starting LR.
    const schedule = isDict(config['learning_rate']) && isDict(config['learning_rate']['config']) ? config['learning_rate']['config'] : null;
    const lr = num('learning_rate') ?? num('lr') ?? (schedule !== null && typeof schedule['initial_learning_rate'] === 'number' ? schedule['initial_learning_rate'] : undefined);
    const fields = (entries: Record<string, number | boolean | undefined>): Dict => Object.fromEntries(Object.entries({ learning_rate: lr, ...entries }).filter(([, v]) => v !== undefined));
    const momentum = num('momentum') ?? 0;
    const mapped: Record<string, { class_name: string; config: Dict } | undefined> = {
      sgd: momentum > 0 ? { class_name: 'Momentum', config: fields({ momentum, use_nesterov: config['nesterov'] === true }) } : { class_name: 'SGD', config: fields({}) },
      adam: { class_name: 'Adam', config: fields({ beta_1: num('beta_1'), beta_2: num('beta_2'), epsilon: num('epsilon') }) },
      adamax: { class_name: 'Adamax', config: fields({ beta_1: num('beta_1'), beta_2: num('beta_2'), epsilon: num('epsilon'), decay: 0 }) },
      rmsprop: { class_name: 'RMSProp', config: fields({ decay: num('rho'), momentum, epsilon: num('epsilon'), centered: config['centered'] === true }) },
      adagrad: { class_name: 'Adagrad', config: fields({ initial_accumulator_value: num('initial_accumulator_value') }) },
      adadelta: { class_name: 'Adadelta', config: fields({ rho: num('rho'), epsilon: num('epsilon') }) },
    };
    if (mapped[kind] !== undefined) out['optimizer_config'] = mapped[kind];
  }
  return out as unknown as tfjs.io.TrainingConfig;
}

function lossNameOf(trainingConfig: tfjs.io.TrainingConfig | undefined): string | undefined {
  const loss = trainingConfig?.loss as unknown;
  if (typeof loss === 'string') return loss;
  if (Array.isArray(loss) && typeof loss[0] === 'string') return loss[0];
  return undefined;
}

/** A model.json + CSV as a model module; `rowLine(i)`: the CSV line of loadData's sample i, once read. */
export interface CsvModelModule extends UserModelModule {
  readonly rowLine: (sample: number) => number | undefined;
  /** The CSV's feature columns in input order, once read (messages name a feature by its column). */
  readonly featureNames: () => readonly string[] | null;
  /** The label column's class names in output-unit order, once read, where it held names. */
  readonly classNames: () => readonly string[] | null;
}

/** A model.json + CSV as a model module (file comment). */
export async function loadLayersModelWithCsv(options: CsvModelOptions, tf: Tf): Promise<CsvModelModule> {
  const modelJson = path.resolve(options.modelJson);
  const name = path.basename(modelJson);
  if (!existsSync(modelJson)) throw new LrLabError('model-file', 'Model file not found.', { file: modelJson, fix: 'Check the path of the model.json.' });
  let template: tfjs.LayersModel;
  let trainingConfig: tfjs.io.TrainingConfig | undefined;
  let json: ModelJsonFile;
  try {
    // The training config is read here (modelJsonTrainingConfig), not by tfjs: tfjs skips the Keras
    // converter's and fails on Keras's 'Custom>Adam'. Applied to the template too, so that a loss or
    // an optimizer tfjs cannot build is refused now, in the words below.
    const io = fileSystemIO(tf, modelJson);
    template = await tf.loadLayersModel({
      load: async () => {
        const { trainingConfig: _skipped, ...artifacts } = await io.load!();
        return artifacts;
      },
    });
    json = JSON.parse(readFileSync(modelJson, 'utf8')) as ModelJsonFile;
    trainingConfig = modelJsonTrainingConfig(json);
    if (trainingConfig !== undefined) template.loadTrainingConfig(trainingConfig as Parameters<typeof template.loadTrainingConfig>[0]);
  } catch (error) {
    if (error instanceof LrLabError) throw error;
    let declared: ModelJsonFile & { format?: unknown } = {};
    try {
      declared = JSON.parse(readFileSync(modelJson, 'utf8')) as typeof declared;
    } catch {
      // tfjs's own error below says what is wrong with the file
    }
    // A graph model (tensorflowjs_converter's default) runs inference only: it read "layer: Improper config format: {"node":[]}..".
    if (declared.format === 'graph-model') {
      throw new LrLabError('model-file', `${name} is a tfjs graph model (format graph-model): it runs inference only, with no layers or weights to train, and LR Lab trains a Layers model.`, {
        file: modelJson,
        fix: 'Save the model with model.save(...) from a tf.LayersModel, or convert it with tensorflowjs_converter --output_format tfjs_layers_model (from a Keras model).',
        cause: error,
      });
    }
    // The training config's optimizer or loss, not a layer: "uses a layer tfjs does not know, Lion" for an optimizer class.
    const lossText = error instanceof Error ? /^Unknown loss (\S+?)\.?$/m.exec(error.message) : null;
    if (lossText !== null) {
      throw new LrLabError('model-file', `${name}'s trainingConfig.loss is '${lossText[1]}', a loss tfjs does not know.`, {
        file: modelJson,
        fix: "Set trainingConfig.loss to a tfjs loss (e.g. 'categoricalCrossentropy'), or remove it: LR Lab then takes the loss from the labels.",
        cause: error,
      });
    }
    // tfjs's "Unknown layer: X. This may be due to one of the following reasons:" lost its reasons to the first line.
    const unknown = error instanceof Error ? /^Unknown (layer|activation|initializer|regularizer|constraint|loss|optimizer): (\S+?)\.? /.exec(error.message) : null;
    const declaredOptimizer = (modelJsonTrainingConfig(declared)?.optimizer_config as { class_name?: unknown } | undefined)?.class_name;
    if (unknown !== null && declaredOptimizer === unknown[2]) {
      throw new LrLabError('model-file', `${name}'s trainingConfig names an optimizer tfjs does not know, ${unknown[2]}.`, {
        file: modelJson,
        fix: 'Remove trainingConfig.optimizer_config (or save the model compiled with a tfjs optimizer: sgd, momentum, adam, adamax, rmsprop, adagrad, adadelta); --optimizer picks the one LR Lab runs.',
        cause: error,
      });
    }
    if (unknown !== null) {
      throw new LrLabError('model-file', `${name} uses ${/^[aeiou]/i.test(unknown[1] ?? '') ? 'an' : 'a'} ${unknown[1]} tfjs does not know, ${unknown[2]}: a custom class, which a model.json names but cannot carry.`, {
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
  const hasWeights = Array.isArray(json.weightsManifest) && json.weightsManifest.length > 0;
  const configJson = JSON.stringify(template.getConfig());
  const isSequential = template instanceof tf.Sequential;
  const units = template.outputs[0]?.shape.at(-1) ?? 1;
  const inputShape = template.inputs.length === 1 ? template.inputs[0]!.shape : null;
  const outputActivation = activationOf(template);
  // Kept past the template, which is disposed with its variables.
  const savedWeights = hasWeights ? template.getWeights().map((w) => tf.keep(tf.clone(w))) : [];
  const optimizer = template.optimizer as tfjs.Optimizer | undefined;
  template.dispose();
  optimizer?.dispose();

  const loss = lossNameOf(trainingConfig);
  const sparse = loss !== undefined && loss.toLowerCase().replace(/[_\s]/g, '') === 'sparsecategoricalcrossentropy';
  // A regression's outputs take a target column each (with no loss, LR Lab infers mean squared error from an output that is neither softmax nor sigmoid).
  const regression = loss !== undefined ? REGRESSION_LOSSES.has(loss.toLowerCase().replace(/[_\s-]/g, '')) : outputActivation !== 'softmax' && outputActivation !== 'sigmoid';
  const data = path.resolve(options.data);
  let lines: Int32Array | null = null;
  let featureNames: readonly string[] | null = null;
  let classNames: readonly string[] | null = null;
  return {
    file: modelJson,
    loss,
    rowLine: (sample) => lines?.[sample],
    featureNames: () => featureNames,
    classNames: () => classNames,
    createModel: () => {
      const config = JSON.parse(configJson) as tfjs.serialization.ConfigDict;
      const model = (isSequential ? tf.Sequential.fromConfig(tf.Sequential, config) : tf.LayersModel.fromConfig(tf.LayersModel, config)) as tfjs.LayersModel;
      if (hasWeights) model.setWeights(savedWeights);
      if (trainingConfig !== undefined) model.loadTrainingConfig(trainingConfig as Parameters<typeof model.loadTrainingConfig>[0]);
      return model;
    },
    loadData: async () => {
      const read = await readCsvData(data, options.label, { outputUnits: units, sparse, regression, ...(loss === undefined ? {} : { lossName: loss }), ...(options.signal === undefined ? {} : { signal: options.signal }), ...(options.onProgress === undefined ? {} : { onProgress: options.onProgress }) });
      // Said in the CSV's terms: it read "model.json: train.xs has shape [batch, 4] but the model expects inputs of shape [batch, 3]".
      const takes = inputShape !== null && inputShape.length === 2 ? inputShape[1] : null;
      if (typeof takes === 'number' && takes !== read.features.length) {
        const csvName = path.basename(data);
        throw new LrLabError('shape', `${csvName} has ${read.features.length} feature column${read.features.length === 1 ? '' : 's'} (${read.features.slice(0, 8).join(', ')}${read.features.length > 8 ? ', …' : ''}: every column but --label ${options.label}), and ${name} takes ${takes} input${takes === 1 ? '' : 's'}.`, {
          file: data,
          fix: read.features.length > takes ? `Drop the columns that are not inputs from ${csvName} (or name them in --label if they are targets), or give a model whose input layer takes ${read.features.length}.` : `Add the missing input columns to ${csvName}, or give a model whose input layer takes ${read.features.length}.`,
        });
      }
      // An input of more dimensions (a CNN's [28, 28, 1]) takes each row's features in row-major order
      // where their count is its size (a pixel-per-column image CSV); else the CSV cannot feed it.
      const sampleShape = inputShape !== null && inputShape.length > 2 ? inputShape.slice(1) : null;
      if (sampleShape !== null) {
        const size = sampleShape.every((d) => typeof d === 'number') ? sampleShape.reduce<number>((a, d) => a * (d ?? 1), 1) : null;
        if (size !== read.features.length) {
          const csvName = path.basename(data);
          throw new LrLabError('shape', `${csvName} has ${read.features.length} feature column${read.features.length === 1 ? '' : 's'} (every column but --label ${options.label}), and ${name} takes inputs of shape [${sampleShape.map((d) => d ?? 'any').join(', ')}]${size === null ? '' : ` (${size} numbers a sample)`}.`, {
            file: data,
            fix: size === null ? `A CSV row feeds a model whose input shape is fixed: give ${name} one, e.g. [${read.features.length}].` : `Give ${csvName} ${size} feature columns (the input's values in row-major order), or a model whose input takes ${read.features.length}.`,
          });
        }
      }
      lines = read.lines;
      featureNames = read.features;
      classNames = read.classes;
      const xs = sampleShape === null ? tf.tensor2d(read.xs, [read.rows, read.features.length]) : tf.tensor(read.xs, [read.rows, ...sampleShape.map((d) => d ?? 1)]);
      return { train: { xs, ys: tf.tensor2d(read.ys, [read.rows, read.labelWidth]) } };
    },
  };
}
