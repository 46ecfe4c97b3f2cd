import { ApiError } from '../api';

/**
 * An error as the API gave it: its `detail` first (what to fix), then the invalid fields, the
 * code and the request id (to find it on the Requests page). `role="alert"` reads it out.
 */
export function ErrorBox({ error }: { error: unknown }) {
  if (error === null || error === undefined) return null;
  if (!(error instanceof ApiError)) {
    return (
      <div class="error" role="alert">
        <p>{error instanceof Error ? error.message : JSON.stringify(error)}</p>
      </div>
    );
  }
  return (
    <div class="error" role="alert">
      <p>
        <strong>{error.status > 0 ? `${error.status} ${error.title}` : error.title}:</strong> {error.detail}
      </p>
      {error.errors.length > 0 && (
        <ul>
          {error.errors.map((e) => (
            <li key={e.path}>
              <code>{e.path}</code> {e.message}
            </li>
          ))}
        </ul>
      )}
      <p class="muted">
        code <code>{error.code}</code>
        {error.requestId && (
          <>
            {' '}
            · request <code>{error.requestId}</code>
          </>
        )}
      </p>
    </div>
  );
}
