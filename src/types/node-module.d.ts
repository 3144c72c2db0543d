// Node's CommonJS loader entry point: undocumented in @types/node, stable since Node 0.x.
// The script worker wraps it so that packages a training script requires share its tfjs.
declare module 'module' {
  namespace Module {
    let _load: (request: string, parent: unknown, isMain: boolean) => unknown;
  }
}
export {};
