/** The Esims page (being built). */
export function EsimsPage(_props: { iccid?: string; selected?: string }) {
  return <p>This page is on its way.</p>;
}
