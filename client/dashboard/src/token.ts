// The API token (when the server sets LAB_API_TOKEN), kept in the browser's local storage.

const STORAGE_KEY = 'cyclegan-lab.apiToken';

export const storedToken = (): string | undefined => localStorage.getItem(STORAGE_KEY) || undefined;

/** Stores the token and reloads, so the transport and every open subscription use it. */
export function saveToken(token: string): void {
  if (token) localStorage.setItem(STORAGE_KEY, token);
  else localStorage.removeItem(STORAGE_KEY);
  location.reload();
}

/** A server file URL that an <img> or <a> can load: the token travels as a query parameter. */
export function fileUrl(url: string): string {
  const token = storedToken();
  if (!token) return url;
  const withToken = new URL(url, location.href);
  withToken.searchParams.set('token', token);
  return withToken.toString();
}
