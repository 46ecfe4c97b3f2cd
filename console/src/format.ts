/** How the console writes values: dates, data amounts, nulls. */

/** `2026-03-01 10:00:00 UTC` from an ISO instant; '—' for null. */
export function instant(value: string | null | undefined): string {
  if (!value) return '—';
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return value;
  return `${date.toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

/** A KB amount as the API counts it (1 MB = 1024 KB): `102,400 KB (100 MB)`. */
export function kb(value: number | string): string {
  const n = Number(value);
  const plain = `${n.toLocaleString('en-US')} KB`;
  if (n >= 1024 * 1024) return `${plain} (${(n / 1024 / 1024).toFixed(2)} GB)`;
  if (n >= 1024) return `${plain} (${(n / 1024).toFixed(1)} MB)`;
  return plain;
}

/** Any field value for a definition list: '—' for null or empty, JSON for objects. */
export function value(field: unknown): string {
  if (field === null || field === undefined || field === '') return '—';
  if (Array.isArray(field)) return field.length === 0 ? '—' : field.map((item) => value(item)).join(', ');
  if (typeof field === 'object') return JSON.stringify(field);
  if (typeof field === 'string') return field;
  if (typeof field === 'number' || typeof field === 'boolean' || typeof field === 'bigint') return String(field);
  return '—';
}

/** Pretty JSON for a body (a string body shown as it is). */
export function json(body: unknown): string {
  if (body === undefined) return '';
  if (typeof body === 'string') return body;
  return JSON.stringify(body, null, 2);
}
