// Section helpers for templates that need formatting, usable inside loops because Mustache renders the
// section text in the current frame first: {{#money}}{{price}}{{/money}} → "45.50".

/** Integer minor units (kopecks, cents) → "1234.50"; anything that is not an integer is left as it was. */
export function formatMinorUnits(text: string): string {
  const trimmed = text.trim();
  if (!/^-?\d+$/.test(trimmed)) return text;
  const value = BigInt(trimmed);
  const negative = value < 0n;
  const abs = negative ? -value : value;
  const units = abs / 100n;
  const cents = (abs % 100n).toString().padStart(2, '0');
  return `${negative ? '-' : ''}${units}.${cents}`;
}

type Lambda = () => (text: string, render: (template: string) => string) => string;

export const money: Lambda = () => (text, render) => formatMinorUnits(render(text));
