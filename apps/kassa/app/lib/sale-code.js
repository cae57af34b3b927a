'use strict';
// The sale's number as a QR code printed on every receipt, so a return starts with a scan (a 2D
// keyboard-wedge scanner types it into the returns page). Drawn as one SVG path of the dark modules (the
// template holds `<svg viewBox><path d>`), no image file, no CDN: the receipt prints the same offline.
const QRCode = require('qrcode');

/** { size, path } of the QR code of `text` (a 4-module quiet zone included in size). */
function qrPath(text) {
  const { modules } = QRCode.create(String(text), { errorCorrectionLevel: 'M' });
  const quiet = 4;
  const parts = [];
  for (let y = 0; y < modules.size; y++) {
    for (let x = 0; x < modules.size; x++) {
      if (modules.get(y, x)) parts.push(`M${x + quiet} ${y + quiet}h1v1h-1z`);
    }
  }
  return { size: modules.size + 2 * quiet, path: parts.join('') };
}

module.exports = { qrPath };
