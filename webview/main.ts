/**
 * Entry of `dist/webview.js`, shared by the LR-vs-loss panel and the activity-bar side view
 * (`<body data-view="sidebar">`). Webview code sees only `src/protocol`.
 */
import type { PanelApi } from './panel';
import { startPanel } from './panel';
import type { SidebarApi } from './sidebar';
import { startSidebar } from './sidebar';

declare function acquireVsCodeApi(): PanelApi & SidebarApi;

// When the page's document started loading and when this script started (epoch ms, stamped by the page
// itself): the editor tests split the time to the first plotted point with them.
document.body.dataset['documentAt'] = String(Math.round(performance.timeOrigin));
document.body.dataset['scriptAt'] = String(Date.now());
const api = acquireVsCodeApi();
if (document.body.dataset['view'] === 'sidebar') startSidebar(api);
else startPanel(api);
