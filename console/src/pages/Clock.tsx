/** The Clock page (being built). */
export function ClockPage(_props: { iccid?: string; selected?: string }) {
  return <p>This page is on its way.</p>;
}
