// RFC 4180 CSV: fields with a comma, quote or line break are quoted, quotes doubled.

export type CsvCell = string | number | null | undefined;

const cell = (value: CsvCell): string => {
  if (value === null || value === undefined) return '';
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
};

export function toCsv(header: readonly string[], rows: readonly (readonly CsvCell[])[]): string {
  return [header, ...rows].map((row) => row.map(cell).join(',')).join('\r\n') + '\r\n';
}
