import type { AnchorHTMLAttributes } from 'preact';
import { onLinkClick } from '../router';

/** An anchor the router follows without reloading (modifier-clicks still open new tabs). */
export function Link(props: AnchorHTMLAttributes & { href: string }) {
  return <a {...props} onClick={onLinkClick} />;
}
