import type { ComponentChildren } from 'preact';
import { useEffect, useRef } from 'preact/hooks';
import { href, useLocation } from '../router';
import { signOut } from '../session';
import { Link } from './Link';

const NAV = [
  { path: '/plans', label: 'Plans' },
  { path: '/esims', label: 'eSIMs' },
  { path: '/requests', label: 'Requests' },
  { path: '/webhooks', label: 'Webhooks' },
  { path: '/clock', label: 'Clock' },
] as const;

/**
 * The frame of every signed-in page: a skip link, the header with the navigation (the current
 * section marked `aria-current="page"`) and `Sign out`, and the page's `<main>` whose heading
 * takes the focus after each navigation (so a screen reader hears the new page).
 */
export function Layout({ title, children }: { title: string; children: ComponentChildren }) {
  const { path } = useLocation();
  const heading = useRef<HTMLHeadingElement>(null);
  const first = useRef(true);
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    heading.current?.focus();
  }, [path]);

  return (
    <>
      <a class="skip" href="#main">
        Skip to content
      </a>
      <header class="top">
        <Link class="brand" href={href('/plans')}>
          eSIM Sandbox
        </Link>
        <nav aria-label="Main">
          <ul>
            {NAV.map((item) => (
              <li key={item.path}>
                <Link
                  href={href(item.path)}
                  aria-current={path === item.path || path.startsWith(`${item.path}/`) ? 'page' : undefined}
                >
                  {item.label}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
        <button type="button" class="secondary" onClick={signOut}>
          Sign out
        </button>
      </header>
      <main id="main">
        <h1 tabIndex={-1} ref={heading}>
          {title}
        </h1>
        {children}
      </main>
    </>
  );
}
