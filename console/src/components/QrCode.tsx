import QRCode from 'qrcode';
import { useEffect, useState } from 'preact/hooks';

/**
 * The eSIM's `qrCode` string (`LPA:1$<SM-DP+ address>$<matching ID>`, GSMA SGP.22 section
 * 4.1) drawn as a PNG image a phone camera reads: error correction M, a 4-module quiet zone,
 * 8 pixels a module. A data: URL, allowed by the page's CSP (img-src data:).
 */
export function QrCode({ text }: { text: string }) {
  const [url, setUrl] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    QRCode.toDataURL(text, { errorCorrectionLevel: 'M', margin: 4, scale: 8 })
      .then((data) => live && setUrl(data))
      .catch((e: unknown) => live && setError(e instanceof Error ? e.message : String(e)));
    return () => {
      live = false;
    };
  }, [text]);
  if (error) return <p class="error">The QR code could not be drawn: {error}</p>;
  if (!url) return <p class="muted">Drawing the QR code…</p>;
  return <img class="qr" src={url} alt={`QR code of ${text}`} width={264} height={264} />;
}
