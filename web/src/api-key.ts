// The API key lives in this tab's sessionStorage: it is sent as x-api-key on every POST, survives
// moving between the pages, and is gone when the tab closes.

const STORAGE_KEY = 'apiKey';

/** The key this tab sends, if one was entered. */
export const apiKey = (): string | undefined => sessionStorage.getItem(STORAGE_KEY) ?? undefined;

/** Keeps `value` as this tab's key; an empty one removes it. */
export function keepApiKey(value: string): void {
  if (value) sessionStorage.setItem(STORAGE_KEY, value);
  else sessionStorage.removeItem(STORAGE_KEY);
}
