import { mountHeader } from './header';

/** Starts a page: its header, then its own code; an error it does not handle is shown, not swallowed. */
export function startPage(run: () => void | Promise<void>): void {
  mountHeader();
  Promise.resolve()
    .then(run)
    .catch((err: unknown) => {
      const alert = document.getElementById('page-error');
      if (alert) {
        alert.textContent = err instanceof Error ? err.message : String(err);
        alert.hidden = false;
      }
    });
}
