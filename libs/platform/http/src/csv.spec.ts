import { toCsv } from './csv';

describe('toCsv', () => {
  const cell = (value: string | number | null) => toCsv(['h'], [[value]]).split('\r\n')[1];

  describe('neutralises text cells a spreadsheet would run as a formula (OWASP CSV injection)', () => {
    it.each([
      ['=', '=HYPERLINK("http://evil.example","click")', `"'=HYPERLINK(""http://evil.example"",""click"")"`],
      ['+', '+cmd|\' /C calc\'!A0', `"'+cmd|' /C calc'!A0"`],
      ['-', '-2+3+cmd|\' /C calc\'!A0', `"'-2+3+cmd|' /C calc'!A0"`],
      ['@', '@SUM(1+1)*cmd|\' /C calc\'!A0', `"'@SUM(1+1)*cmd|' /C calc'!A0"`],
      ['a tab', '\t=1+1', `"'\t=1+1"`],
      ['a carriage return', '\r=1+1', `"'\r=1+1"`],
    ])('a cell starting with %s', (_lead, value, expected) => {
      expect(cell(value)).toBe(expected);
    });

    it('leaves the same characters alone further into a cell', () => {
      expect(cell('Dev = Ops')).toBe('Dev = Ops');
      expect(cell('a@b.example')).toBe('a@b.example');
      expect(cell("O'Brien")).toBe("O'Brien");
    });
  });

  it('writes numbers as numbers, negative ones included', () => {
    expect(toCsv(['remaining', 'percent'], [[-8, -12.5]])).toBe('remaining,percent\r\n-8,-12.5\r\n');
  });

  it('quotes commas, quotes and line breaks as RFC 4180 asks', () => {
    expect(toCsv(['name', 'department', 'empty'], [['Doe, Jane', 'R"D\nLab', null]])).toBe('name,department,empty\r\n"Doe, Jane","R""D\nLab",\r\n');
  });
});
