import fc from 'fast-check';

import { SaxesParser } from 'saxes';
import { element, escapeText, formatDecimal, leaf, renderDocument, stripNonXmlChars } from './xml.writer';

/** The text an XML parser reads back from an element whose content is `escaped`. */
function readBack(escaped: string): string {
  let text = '';
  const parser = new SaxesParser();
  parser.on('text', (t) => (text += t));
  parser.write(`<v>${escaped}</v>`).close();
  return text;
}

describe('escapeText', () => {
  it('escapes markup characters', () => {
    expect(escapeText('R&D <phase 1> "go"')).toBe('R&amp;D &lt;phase 1&gt; "go"');
  });

  it('protects carriage returns and edge whitespace from XML normalisation and trimming', () => {
    expect(escapeText(' a\r\nb\t')).toBe('&#32;a&#13;\nb&#9;');
    expect(escapeText('\u00A0x\u2028')).toBe('&#160;x&#8232;');
  });

  it('drops characters XML 1.0 cannot carry at all', () => {
    expect(escapeText('a\u0000b\u001Fc\uFFFEd\uD800e')).toBe('abcde');
    expect(escapeText('emoji \u{1F600}')).toBe('emoji \u{1F600}');
  });

  it('decodes back to the same text', () => {
    const edge = fc.constantFrom(' ', '\t', '\n', '\r', '\u00A0', '\u2028', '\uFEFF', '');
    const xmlText = fc.tuple(edge, fc.string({ unit: 'grapheme' }), edge).map((parts) => stripNonXmlChars(parts.join('')));
    fc.assert(
      fc.property(xmlText, (text) => {
        expect(readBack(escapeText(text))).toBe(text);
      }),
    );
  });
});

describe('renderDocument', () => {
  it('writes the declaration, the namespace on the root and leaves in order', () => {
    const root = element('Project', [...leaf('SaveVersion', 14), ...leaf('Name', 'A & B'), ...leaf('Title', null), element('Tasks', [])]);
    expect(renderDocument(root, 'http://schemas.microsoft.com/project')).toBe(
      [
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>',
        '<Project xmlns="http://schemas.microsoft.com/project">',
        '\t<SaveVersion>14</SaveVersion>',
        '\t<Name>A &amp; B</Name>',
        '\t<Tasks/>',
        '</Project>',
        '',
      ].join('\n'),
    );
  });

  it('writes booleans as 1/0 and numbers without exponent notation', () => {
    expect(leaf('Summary', true)).toEqual([element('Summary', '1')]);
    expect(formatDecimal(1e-7)).toBe('0.0000001');
    expect(formatDecimal(6.25)).toBe('6.25');
  });
});
