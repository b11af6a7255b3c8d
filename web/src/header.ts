import { apiKey, keepApiKey } from './api-key';
import { el } from './dom';

const PAGES = [
  { href: '/app/', label: 'Shop' },
  { href: '/app/orders.html', label: 'Orders' },
  { href: '/app/approvals.html', label: 'Approvals' },
];

function apiKeyForm(): HTMLFormElement {
  const input = el('input', { id: 'api-key', name: 'apiKey', type: 'password', autocomplete: 'off', 'aria-describedby': 'api-key-state' });
  input.value = apiKey() ?? '';
  const state = el('span', { id: 'api-key-state', role: 'status' });
  const show = () => (state.textContent = apiKey() ? 'key set for this tab' : 'no key set');
  show();
  const form = el(
    'form',
    { class: 'api-key', 'aria-label': 'API key settings' },
    el('label', { for: 'api-key' }, 'API key'),
    input,
    el('button', { type: 'submit' }, 'Use key'),
    state,
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    keepApiKey(input.value.trim());
    show();
  });
  return form;
}

/** The header every page starts with: the site's navigation and the API key form. */
export function mountHeader(): void {
  const here = location.pathname === '/app/index.html' ? '/app/' : location.pathname;
  const links = PAGES.map(({ href, label }) => el('li', {}, el('a', { href, ...(href === here && { 'aria-current': 'page' }) }, label)));
  document.body.prepend(el('header', { class: 'site' }, el('nav', { 'aria-label': 'Pages' }, el('ul', {}, ...links)), apiKeyForm()));
}
