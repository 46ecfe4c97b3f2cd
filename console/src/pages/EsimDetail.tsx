/** The EsimDetail page (being built). */
export function EsimDetailPage(_props: { iccid?: string; selected?: string }) {
  return <p>This page is on its way.</p>;
}
