import QRCode from 'qrcode';
import { useEffect, useState } from 'react';

/**
 * The invite as a QR code. An SVG made here and shown as a data: image, which the CSP allows
 * (img-src data:), rather than injected markup or a canvas.
 */
export function InviteQr({ text }: { text: string }) {
  const [src, setSrc] = useState<string | null>(null);
  const [failed, setFailed] = useState(false);

  useEffect(() => {
    let live = true;
    QRCode.toString(text, { type: 'svg', errorCorrectionLevel: 'M', margin: 2, color: { dark: '#000000', light: '#ffffff' } })
      .then((svg) => {
        if (live) setSrc(`data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`);
      })
      .catch(() => {
        if (live) setFailed(true);
      });
    return () => {
      live = false;
    };
  }, [text]);

  if (failed) return <p className="muted">The QR code could not be drawn; copy the invite instead.</p>;
  if (!src) return null;
  // Always dark on white, whatever the theme: phones read that best.
  return <img className="qr" src={src} alt="QR code of your invite" width={220} height={220} />;
}
