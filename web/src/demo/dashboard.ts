import type { DashboardState, QueueRow } from '../../../scripts/demo/dashboard-state';
import { byId, el, say } from '../dom';

// The demo on a big screen: it lays out what the demo process sends over SSE, and its button
// (or a presenter's clicker: PageDown, →) moves to the next scene.

const clock = (ms: number): string => `${Math.floor(ms / 60_000)}:${String(Math.floor(ms / 1000) % 60).padStart(2, '0')}`;
const age = (ms: number | undefined): string => (ms === undefined ? '-' : `${Math.round(ms / 1000)}s`);

/** A line of text whose URLs are links. */
function linked(line: string): (Node | string)[] {
  return line.split(/(https?:\/\/\S+)/).map((part, index) => (index % 2 ? el('a', { href: part, target: '_blank' }, part) : part));
}

function queueRow(queue: QueueRow): HTMLTableRowElement {
  const pods = `${queue.pods}${queue.bugged ? ' bugged' : ''}`;
  return el(
    'tr',
    { 'data-queue': queue.service, class: queue.stalled ? 'stalled' : '' },
    el('th', { scope: 'row' }, queue.service),
    el('td', { class: queue.bugged || queue.pods === 0 ? 'bad' : '' }, pods),
    el('td', {}, String(queue.pollers)),
    el('td', {}, age(queue.lastPollMs)),
    el('td', {}, String(queue.backlog)),
    el('td', {}, age(queue.oldestMs)),
  );
}

function render(state: DashboardState): void {
  const heading = byId('heading');
  heading.textContent = state.heading;
  heading.classList.toggle('shown', state.shown);
  byId('narration').textContent = state.narration;
  byId('where').textContent = `${state.links.target} · namespace ${state.links.namespace} · ${clock(state.elapsedMs)}`;
  if (state.orders) {
    byId('stream').textContent = state.orders.stream;
    byId('completed').textContent = String(state.orders.completed);
    byId('compensated').textContent = String(state.orders.compensated);
    byId('throughput').textContent = state.orders.throughput.toFixed(1);
    byId('in-flight').replaceChildren(
      ...state.orders.inFlight.map(([stage, count]) => el('li', { class: count > 0 ? 'busy' : '' }, `${stage} ${count}`)),
    );
  }
  byId('queues')
    .querySelector('tbody')!
    .replaceChildren(...state.queues.map(queueRow));
  byId('spotlight').replaceChildren(...state.spotlight.map((line) => el('li', {}, ...linked(line))));
  byId('log').replaceChildren(...state.log.map((line) => el('li', {}, ...linked(line))));
  byId('links').replaceChildren(
    'Web UI ',
    el('a', { href: state.links.orders, target: '_blank' }, "this run's orders"),
    ' · API ',
    el('a', { href: state.links.api, target: '_blank' }, state.links.api),
  );
  byId('hint').textContent = state.hint;
  byId<HTMLButtonElement>('next-scene').disabled = !state.canAdvance;
  if (state.problem) say(byId('connection'), `Refresh failed, showing the last good state: ${state.problem}`);
  byId('report-section').hidden = !state.report;
  byId('report').textContent = state.report?.join('\n') ?? '';
}

async function nextScene(): Promise<void> {
  const button = byId<HTMLButtonElement>('next-scene');
  if (button.disabled) return;
  button.disabled = true;
  const response = await fetch('/next', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
  if (!response.ok) say(byId('connection'), ((await response.json()) as { error: string }).error);
}

function start(): void {
  const connection = byId('connection');
  const events = new EventSource('/events');
  events.onmessage = (message: MessageEvent<string>) => {
    say(connection);
    render(JSON.parse(message.data) as DashboardState);
  };
  events.onerror = () => say(connection, 'Lost the demo: reconnecting…');
  byId('next-scene').addEventListener('click', () => void nextScene());
  document.addEventListener('keydown', (event) => {
    if (event.key === 'PageDown' || event.key === 'ArrowRight') void nextScene();
  });
}

start();
