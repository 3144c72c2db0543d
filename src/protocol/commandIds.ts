/** Command ids, one table: package.json `contributes.commands` is checked against it in tests. */
export const COMMANDS = {
  findLearningRate: 'lrlab.findLearningRate',
  findLearningRateWithOptions: 'lrlab.findLearningRateWithOptions',
  compareRegularization: 'lrlab.compareRegularization',
  trainOneCycle: 'lrlab.trainOneCycle',
  runRecipe: 'lrlab.runRecipe',
  momentumStudy: 'lrlab.momentumStudy',
  batchSizeStudy: 'lrlab.batchSizeStudy',
  cancelRun: 'lrlab.cancelRun',
  exportChart: 'lrlab.exportChart',
  showHistory: 'lrlab.showHistory',
  previewSchedule: 'lrlab.previewSchedule',
  setUpModelFile: 'lrlab.setUpModelFile',
} as const;
