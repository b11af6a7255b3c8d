import { getJson } from './api';
import { byId, el, say } from './dom';

// The order's live workflow map (GET /orders/:id/map), drawn by Mermaid. Mermaid is large, so
// it is imported only here, when a map is first drawn: the shop and the other pages never load it.

interface MapReply {
  mermaid: string;
}

interface MapOrder {
  status: string;
  timeline?: readonly { step: string; state: string; attempts?: number }[];
}

let renders = 0;

async function draw(target: HTMLElement, diagram: string): Promise<void> {
  const { default: mermaid } = await import('mermaid');
  mermaid.initialize({ startOnLoad: false, securityLevel: 'strict', theme: 'neutral', sequence: { useMaxWidth: true } });
  const { svg } = await mermaid.render(`workflow-map-svg-${++renders}`, diagram);
  target.innerHTML = svg;
}

/** The map section of the order page: drawn now, again when the order's timeline changes, and on its button. */
export function workflowMap(orderId: string): { follow(order: MapOrder): void } {
  const section = byId('workflow-map');
  const diagram = el('div', { id: 'workflow-map-diagram', role: 'img', 'aria-label': 'Sequence diagram of the order and its workers' });
  const state = el('p', { id: 'workflow-map-state', class: 'note', role: 'status' });
  const button = el('button', { type: 'button', id: 'refresh-map' }, 'Refresh map');
  section.replaceChildren(el('h2', {}, 'Workflow map'), el('p', {}, button), state, diagram);
  section.hidden = false;
  state.hidden = true;

  let shown = '';
  let drawing: Promise<void> | undefined;
  let again = false;

  const refresh = async (): Promise<void> => {
    if (drawing) {
      again = true;
      return drawing;
    }
    drawing = (async () => {
      try {
        const { mermaid } = await getJson<MapReply>(`/orders/${encodeURIComponent(orderId)}/map`);
        if (mermaid !== shown) await draw(diagram, mermaid);
        shown = mermaid;
        say(state);
      } catch (err) {
        say(state, `The map could not be drawn: ${err instanceof Error ? err.message : String(err)}.`);
      } finally {
        drawing = undefined;
      }
    })();
    await drawing;
    if (again) {
      again = false;
      await refresh();
    }
  };

  button.addEventListener('click', () => void refresh());
  let seen = '';
  return {
    follow(order) {
      const now = `${order.status}|${(order.timeline ?? []).map((entry) => `${entry.step}:${entry.state}:${entry.attempts ?? ''}`).join(',')}`;
      if (now === seen) return;
      seen = now;
      void refresh();
    },
  };
}
