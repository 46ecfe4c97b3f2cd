import { Link } from '../components/Link';
import { href } from '../router';

/** A /console/... path that names no page. */
export function NotFoundPage() {
  return (
    <p>
      No page here. Start from <Link href={href('/plans')}>the plans</Link>.
    </p>
  );
}
