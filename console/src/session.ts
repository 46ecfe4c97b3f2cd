/**
 * The API key of the signed-in user: in sessionStorage only (gone when the tab closes, never
 * in a cookie, so no request is sent with it implicitly and there is nothing to forge: no
 * CSRF). Every call sends it as `Authorization: Bearer <key>`.
 */
const STORAGE_KEY = 'esim-sandbox-console.apiKey';

type Listener = () => void;
const listeners = new Set<Listener>();

/** The stored key, or null when signed out. */
export function apiKey(): string | null {
  return sessionStorage.getItem(STORAGE_KEY);
}

/** Stores the key (after the API accepted it) and tells the subscribers. */
export function signIn(key: string): void {
  sessionStorage.setItem(STORAGE_KEY, key);
  listeners.forEach((listener) => listener());
}

/** Forgets the key and tells the subscribers. */
export function signOut(): void {
  sessionStorage.removeItem(STORAGE_KEY);
  listeners.forEach((listener) => listener());
}

/** Calls `listener` on every sign-in and sign-out; returns the unsubscribe function. */
export function onSessionChange(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}
