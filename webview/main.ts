/**
 * Entry of `dist/webview.js`, shared by the LR-vs-loss panel and the activity-bar side view
 * (`<body data-view="sidebar">`). Webview code sees only `src/protocol`.
 */
import type { PanelApi } from './panel';
import { startPanel } from './panel';
import type { SidebarApi } from './sidebar';
import { startSidebar } from './sidebar';

declare function acquireVsCodeApi(): PanelApi & SidebarApi;

const api = acquireVsCodeApi();
if (document.body.dataset['view'] === 'sidebar') startSidebar(api);
else startPanel(api);
