/**
 * The side view: a small live loss chart of the running job, and the run history (click to
 * open, tick two to compare, × to delete). All text via textContent.
 */
import { Chart } from 'chart.js';
import type { HostToSidebar, RunSummary, SidebarToHost } from '../src/protocol/webviewMessages';
import { element } from './dom';
import { cssVar } from './cssVar';
import { formatLr } from '../src/protocol/format';
import { lttb } from './lttb';

export interface SidebarApi {
  postMessage(message: SidebarToHost): void;
}

export function startSidebar(api: SidebarApi): void {
  let live: Chart | null = null;
  const selected = new Set<string>();
  const compare = element<HTMLButtonElement>('compare');
  // The running job's title opens its panel (README: a closed panel "reopens from the side view"; nothing did).
  let liveRunId: string | null = null;
  element('live-title').addEventListener('click', () => {
    if (liveRunId !== null) api.postMessage({ type: 'openRun', runId: liveRunId });
  });

  const drawLive = (message: HostToSidebar): void => {
    const section = element('live');
    section.hidden = message.live === null;
    liveRunId = message.live?.runId ?? null;
    if (message.live === null) return;
    element('live-title').textContent = `running: ${message.live.label}`;
    const data = lttb(message.live.points.filter((p) => p.smoothed !== null && p.lr > 0).map((p) => ({ x: p.lr, y: p.smoothed ?? 0 })), 300);
    if (live === null) {
      live = new Chart(element<HTMLCanvasElement>('live-chart'), {
        type: 'line',
        data: { datasets: [{ data, borderColor: cssVar('--vscode-charts-blue', '#1565c0'), pointRadius: 0, borderWidth: 2 }] },
        options: { animation: false, responsive: true, maintainAspectRatio: false, parsing: false, plugins: { legend: { display: false } }, scales: { x: { type: 'logarithmic', ticks: { display: false } }, y: { ticks: { color: cssVar('--vscode-foreground', '#888') } } } },
      });
    } else {
      const dataset = live.data.datasets[0];
      if (dataset !== undefined) dataset.data = data;
      live.update('none');
    }
  };

  const item = (run: RunSummary): HTMLLIElement => {
    const li = document.createElement('li');
    li.dataset['runId'] = run.runId;
    li.className = 'run';
    const box = document.createElement('input');
    box.type = 'checkbox';
    box.checked = selected.has(run.runId);
    box.title = 'Select to compare';
    box.addEventListener('change', () => {
      if (box.checked) selected.add(run.runId);
      else selected.delete(run.runId);
      compare.disabled = selected.size !== 2;
    });
    const open = document.createElement('button');
    open.className = 'link';
    open.type = 'button';
    open.textContent = `${run.label} · ${run.kind}`;
    open.title = run.model;
    open.addEventListener('click', () => api.postMessage({ type: 'openRun', runId: run.runId }));
    const detail = document.createElement('div');
    detail.className = 'detail';
    const range = run.range === null ? '' : ` · range ${formatLr(run.range.minLr)}–${formatLr(run.range.maxLr)}`;
    detail.textContent = `${new Date(run.startedAt).toLocaleString()} · ${run.backend ?? '—'} · ${run.state}${run.suggestion === null ? '' : ` · recommended max LR ${formatLr(run.suggestion)}`}${range}`;
    const remove = document.createElement('button');
    remove.className = 'delete';
    remove.type = 'button';
    remove.textContent = '×';
    remove.title = 'Delete this run';
    remove.addEventListener('click', () => api.postMessage({ type: 'deleteRun', runId: run.runId }));
    li.append(box, open, remove, detail);
    return li;
  };

  window.addEventListener('message', (event: MessageEvent<HostToSidebar>) => {
    const message = event.data;
    if (message.type !== 'runs') return;
    drawLive(message);
    const list = element('runs');
    for (const id of [...selected]) if (!message.runs.some((r) => r.runId === id)) selected.delete(id);
    list.replaceChildren(...message.runs.map(item));
    list.dataset['count'] = String(message.runs.length);
    if (message.runs.length === 0) {
      const empty = document.createElement('li');
      empty.textContent = 'No runs yet. Run "LR Lab: Find learning rate".';
      list.appendChild(empty);
    }
    compare.disabled = selected.size !== 2;
  });

  compare.addEventListener('click', () => {
    const [a, b] = [...selected];
    if (a !== undefined && b !== undefined) api.postMessage({ type: 'compareRuns', runIds: [a, b] });
  });
  api.postMessage({ type: 'ready' });
}
