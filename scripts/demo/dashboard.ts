import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { projectRoot } from '../../services/common/paths';
import { dashboardState, type DashboardState } from './dashboard-state';
import type { Frame, View } from './live-view';

// The demo on a big screen: a page that shows what the terminal shows, live over SSE, with a
// "Next scene" button. Served by the demo process itself, on loopback unless told otherwise.

/** The dashboard page's built files (npm run build: web/demo and web/src/demo into dist/web-demo). */
export const dashboardAssetsPath = path.join(projectRoot, 'dist', 'web-demo');

const ASSETS: Record<string, [file: string, type: string]> = {
  '/': ['index.html', 'text/html; charset=utf-8'],
  '/dashboard.js': ['dashboard.js', 'text/javascript; charset=utf-8'],
  '/dashboard.css': ['dashboard.css', 'text/css; charset=utf-8'],
  '/favicon.svg': ['favicon.svg', 'image/svg+xml'],
};

const LOG_LINES = 8;

export interface DashboardOptions {
  port: number;
  host?: string;
  assetsPath?: string;
}

/** Starts the dashboard's server; it is a View, so the demo draws on it as on the terminal. */
export async function startDashboard({ port, host = '127.0.0.1', assetsPath = dashboardAssetsPath }: DashboardOptions): Promise<Dashboard> {
  if (!fs.existsSync(path.join(assetsPath, 'index.html')))
    throw new Error(`the dashboard page is not built (${assetsPath}): run npm run build`);
  const dashboard = new Dashboard(assetsPath);
  await dashboard.listen(port, host);
  return dashboard;
}

export class Dashboard implements View {
  private readonly server = http.createServer((request, response) => this.handle(request, response));
  private readonly watchers = new Set<http.ServerResponse>();
  private readonly log: string[] = [];
  private lastFrame?: Frame;
  private report?: string[];
  private waiting?: () => void;

  constructor(private readonly assetsPath: string) {}

  /** Where people open it. */
  get url(): string {
    const { address, port } = this.server.address() as AddressInfo;
    return `http://${address.includes(':') ? `[${address}]` : address}:${port}/`;
  }

  async listen(port: number, host: string): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', (err: NodeJS.ErrnoException) =>
        reject(err.code === 'EADDRINUSE' ? new Error(`--dashboard-port ${port}: ${host}:${port} is already in use`) : err),
      );
      this.server.listen(port, host, resolve);
    });
  }

  /** Resolves when the presenter presses "Next scene", or when `elsewhere` resolves first (Enter at the terminal). */
  async next(elsewhere?: Promise<void>): Promise<void> {
    const pressed = new Promise<void>((resolve) => (this.waiting = resolve));
    this.broadcast();
    await (elsewhere ? Promise.race([pressed, elsewhere]) : pressed);
    this.waiting = undefined;
    this.broadcast();
  }

  note(line: string): void {
    this.log.push(`${new Date().toTimeString().slice(0, 8)}  ${line}`);
    this.log.splice(0, Math.max(0, this.log.length - LOG_LINES));
    this.broadcast();
  }

  frame(frame: Frame): void {
    this.lastFrame = frame;
    this.broadcast();
  }

  close(lines: string[]): void {
    this.report = lines;
    this.waiting = undefined;
    this.broadcast();
  }

  async stop(): Promise<void> {
    for (const watcher of this.watchers) watcher.end();
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }

  private state(): DashboardState | undefined {
    if (!this.lastFrame) return undefined;
    const state = dashboardState(this.lastFrame, [...this.log], this.waiting !== undefined);
    if (this.waiting) state.hint = 'Next scene: the button, or Enter at the terminal';
    if (this.report) return { ...state, report: this.report, canAdvance: false, hint: 'The demo is over.' };
    return state;
  }

  private broadcast(): void {
    const state = this.state();
    if (!state) return;
    const event = `data: ${JSON.stringify(state)}\n\n`;
    for (const watcher of this.watchers) watcher.write(event);
  }

  private handle(request: http.IncomingMessage, response: http.ServerResponse): void {
    const url = new URL(request.url ?? '/', 'http://dashboard');
    if (url.pathname === '/events' && request.method === 'GET') return this.watch(request, response);
    if (url.pathname === '/next') return this.advance(request, response);
    const asset = ASSETS[url.pathname];
    if (!asset) return reply(response, 404, { error: `no such page: ${url.pathname}` });
    if (request.method !== 'GET') return reply(response, 405, { error: `${request.method} is not allowed on ${url.pathname}` });
    const [file, type] = asset;
    response.writeHead(200, { 'content-type': type, 'cache-control': 'no-store' });
    fs.createReadStream(path.join(this.assetsPath, file)).pipe(response);
  }

  private watch(request: http.IncomingMessage, response: http.ServerResponse): void {
    response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' });
    this.watchers.add(response);
    request.once('close', () => this.watchers.delete(response));
    const state = this.state();
    response.write(state ? `data: ${JSON.stringify(state)}\n\n` : ': the demo is starting\n\n');
  }

  private advance(request: http.IncomingMessage, response: http.ServerResponse): void {
    if (request.method !== 'POST') return reply(response, 405, { error: 'POST /next moves to the next scene' });
    // A JSON content type makes a cross-site form unable to press the button for the presenter.
    if (!request.headers['content-type']?.startsWith('application/json'))
      return reply(response, 415, { error: 'POST /next takes content-type application/json' });
    request.resume();
    const resume = this.waiting;
    if (!resume) {
      const why = this.report ? 'the demo is over' : 'the current scene is still being set up, or the demo runs unattended (--ci)';
      return reply(response, 409, { error: `not waiting for the next scene: ${why}` });
    }
    this.waiting = undefined;
    resume();
    reply(response, 202, { advanced: true });
  }
}

function reply(response: http.ServerResponse, status: number, body: object): void {
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  response.end(JSON.stringify(body));
}

/** Draws every frame and note on each of `views`: the terminal and the dashboard at once. */
export function bothViews(...views: View[]): View {
  return {
    note: (line) => views.forEach((view) => view.note(line)),
    frame: (frame) => views.forEach((view) => view.frame(frame)),
    close: (lines) => views.forEach((view) => view.close(lines)),
  };
}
