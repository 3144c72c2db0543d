/**
 * Largest-Triangle-Three-Buckets downsampling. chart.js' own decimation does not work on a
 * logarithmic axis, so the panel decimates here, on (log10 lr, loss): the curve keeps its shape
 * (peaks, the turn-up, the divergence) with at most `threshold` points drawn.
 */
export interface XY {
  readonly x: number;
  readonly y: number;
}

export function lttb<T extends XY>(data: readonly T[], threshold: number, transformX: (x: number) => number = Math.log10): T[] {
  if (threshold >= data.length || threshold < 3) return [...data];
  const out: T[] = [data[0]!];
  const bucket = (data.length - 2) / (threshold - 2);
  let a = 0;
  for (let i = 0; i < threshold - 2; i++) {
    const nextStart = Math.floor((i + 1) * bucket) + 1;
    const nextEnd = Math.min(Math.floor((i + 2) * bucket) + 1, data.length);
    let avgX = 0;
    let avgY = 0;
    for (let j = nextStart; j < nextEnd; j++) {
      avgX += transformX(data[j]!.x);
      avgY += data[j]!.y;
    }
    const n = Math.max(1, nextEnd - nextStart);
    avgX /= n;
    avgY /= n;
    const start = Math.floor(i * bucket) + 1;
    const end = Math.floor((i + 1) * bucket) + 1;
    const ax = transformX(data[a]!.x);
    const ay = data[a]!.y;
    let best = start;
    let bestArea = -1;
    for (let j = start; j < end; j++) {
      const area = Math.abs((ax - avgX) * (data[j]!.y - ay) - (ax - transformX(data[j]!.x)) * (avgY - ay));
      if (area > bestArea) {
        bestArea = area;
        best = j;
      }
    }
    out.push(data[best]!);
    a = best;
  }
  out.push(data[data.length - 1]!);
  return out;
}
