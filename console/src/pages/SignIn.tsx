import { useState } from 'preact/hooks';
import { call } from '../api';
import { ErrorBox } from '../components/ErrorBox';
import { useAction } from '../hooks';
import { signIn } from '../session';

/**
 * Sign in with an API key: the key is checked with a read of the sandbox clock (any /v1 call
 * would do; this one changes nothing), stored in sessionStorage only when the API accepts it,
 * and a refused key shows the 401's detail.
 */
export function SignInPage() {
  const [key, setKey] = useState('');
  const action = useAction();
  const submit = async (event: Event) => {
    event.preventDefault();
    const given = key.trim();
    await action.run(async () => {
      await call((sandbox) => sandbox.getClock(), { key: given });
      signIn(given);
    });
  };
  return (
    <main id="main" class="signin">
      <h1>eSIM Sandbox console</h1>
      <p>
        Sign in with your sandbox API key (the <code>sk_sandbox_...</code> key the server logged, or one of{' '}
        <code>SANDBOX_API_KEYS</code>). It stays in this tab only and goes to the sandbox as a bearer token.
      </p>
      <form onSubmit={(event) => void submit(event)}>
        <label for="api-key">API key</label>
        <input
          id="api-key"
          name="apiKey"
          type="password"
          autoComplete="off"
          spellcheck={false}
          required
          value={key}
          onInput={(event) => setKey(event.currentTarget.value)}
        />
        <button type="submit" disabled={action.busy}>
          Sign in
        </button>
      </form>
      <ErrorBox error={action.error} />
    </main>
  );
}
