/** The Plans page (being built). */
export function PlansPage(_props: { iccid?: string; selected?: string }) {
  return <p>This page is on its way.</p>;
}
