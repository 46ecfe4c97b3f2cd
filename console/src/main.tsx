/**
 * The console: a single-page app over the public /v1 API with the user's own key. main.tsx
 * mounts it; App picks the page from the URL (router.ts) and shows the sign-in form until a
 * key is stored (session.ts).
 */
import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { Layout } from './components/Layout';
import { ClockPage } from './pages/Clock';
import { EsimDetailPage } from './pages/EsimDetail';
import { EsimsPage } from './pages/Esims';
import { NotFoundPage } from './pages/NotFound';
import { PlansPage } from './pages/Plans';
import { RequestsPage } from './pages/Requests';
import { SignInPage } from './pages/SignIn';
import { WebhooksPage } from './pages/Webhooks';
import { navigate, href, useLocation } from './router';
import { apiKey, onSessionChange } from './session';
import './styles.css';

/** The page of a path, and its document title. */
function route(path: string): { title: string; page: () => preact.JSX.Element } {
  if (path === '/plans') return { title: 'Plans', page: () => <PlansPage /> };
  if (path === '/esims') return { title: 'eSIMs', page: () => <EsimsPage /> };
  const esim = /^\/esims\/([^/]+)$/.exec(path);
  if (esim) {
    const iccid = decodeURIComponent(esim[1]!);
    return { title: `eSIM ${iccid}`, page: () => <EsimDetailPage iccid={iccid} /> };
  }
  if (path === '/requests') return { title: 'Requests', page: () => <RequestsPage /> };
  const request = /^\/requests\/([^/]+)$/.exec(path);
  if (request) {
    const id = decodeURIComponent(request[1]!);
    return { title: `Request ${id}`, page: () => <RequestsPage selected={id} /> };
  }
  if (path === '/webhooks') return { title: 'Webhooks', page: () => <WebhooksPage /> };
  if (path === '/clock') return { title: 'Clock', page: () => <ClockPage /> };
  return { title: 'Not found', page: () => <NotFoundPage /> };
}

function App() {
  const { path } = useLocation();
  const [signedIn, setSignedIn] = useState(apiKey() !== null);
  useEffect(() => onSessionChange(() => setSignedIn(apiKey() !== null)), []);
  useEffect(() => {
    if (path === '/') navigate(href('/plans'), true);
  }, [path]);

  const { title, page } = route(path);
  const shownTitle = signedIn ? title : 'Sign in';
  useEffect(() => {
    document.title = `${shownTitle} · eSIM Sandbox console`;
  }, [shownTitle]);

  if (!signedIn) return <SignInPage />;
  return <Layout title={title}>{page()}</Layout>;
}

render(<App />, document.getElementById('app')!);
