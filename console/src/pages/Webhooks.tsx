/** The Webhooks page (being built). */
export function WebhooksPage(_props: { iccid?: string; selected?: string }) {
  return <p>This page is on its way.</p>;
}
