import { stringify } from 'csv-stringify/sync';
import { describe, expect, it } from 'vitest';
import { csvCell } from '../../src/http/export.js';

// Exports write CSV themselves (one string per few hundred rows; csv-stringify's per-row
// stream cost a third of an export's time). The cells must stay what csv-stringify wrote,
// which analysts' files and tests were made with: RFC 4180 quoting, nothing else escaped.

const awkward = [
  'plain', '', 'a,b', 'say "no"', '"', 'line\nbreak', 'carriage\rreturn', 'crlf\r\n', ' spaced ', '=SUM(A1)', '-12', '+1', '@x', '\ttab',
  'Kabul; Kandahar', 'Pashto: د افغانستان', 0, -3.5, 31.234567, 1e21, true, false, null,
];

describe('CSV cells', () => {
  it('are written as csv-stringify writes them, value by value', () => {
    for (const value of awkward) {
      const expected = stringify([[value]], { cast: { boolean: (b) => (b ? 'true' : 'false') } }).replace(/\n$/, '');
      expect(csvCell(value), JSON.stringify(value)).toBe(expected);
    }
  });

  it('make a line csv-stringify would write for a whole row', () => {
    const row = awkward.map(String);
    expect(`${row.map(csvCell).join(',')}\n`).toBe(stringify([row]));
  });
});
