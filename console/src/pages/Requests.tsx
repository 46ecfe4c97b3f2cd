/** The Requests page (being built). */
export function RequestsPage(_props: { iccid?: string; selected?: string }) {
  return <p>This page is on its way.</p>;
}
