/** Data loading for the pages: a call, its result or its error, and a way to run it again. */
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';

/** The state of a load: the last data, the last error, whether one is in flight. */
export interface Loaded<T> {
  data: T | undefined;
  error: unknown;
  loading: boolean;
  /** Loads again (after an action changed the data). */
  reload: () => Promise<void>;
}

/**
 * Runs `load` now and whenever `deps` change; a late answer of an older run is dropped.
 * `pollMs` reloads on a timer while the tab is visible (deliveries, the live parts).
 */
export function useLoad<T>(load: (signal: AbortSignal) => Promise<T>, deps: unknown[], pollMs?: number): Loaded<T> {
  const [data, setData] = useState<T | undefined>(undefined);
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(true);
  const run = useRef(0);
  const loader = useRef(load);
  loader.current = load;

  const reload = useCallback(async () => {
    const mine = ++run.current;
    const controller = new AbortController();
    setLoading(true);
    try {
      const result = await loader.current(controller.signal);
      if (mine === run.current) {
        setData(result);
        setError(null);
      }
    } catch (caught) {
      if (mine === run.current && !(caught instanceof DOMException && caught.name === 'AbortError')) setError(caught);
    } finally {
      if (mine === run.current) setLoading(false);
    }
  }, []);

  useEffect(() => {
    void reload();
    if (!pollMs) return undefined;
    const timer = setInterval(() => {
      if (document.visibilityState === 'visible') void reload();
    }, pollMs);
    return () => clearInterval(timer);
  }, deps);

  return { data, error, loading, reload };
}

/**
 * An action (a button's call): `run` clears the last error, awaits, keeps the error to show
 * it; `busy` disables the button meanwhile so that a double click sends one request.
 */
export function useAction(): {
  busy: boolean;
  error: unknown;
  run: <R>(action: () => Promise<R>) => Promise<R | undefined>;
  clear: () => void;
} {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const run = useCallback(async <R>(action: () => Promise<R>) => {
    setBusy(true);
    setError(null);
    try {
      return await action();
    } catch (caught) {
      setError(caught);
      return undefined;
    } finally {
      setBusy(false);
    }
  }, []);
  return { busy, error, run, clear: () => setError(null) };
}
