/**
 * Reads WeCom's callback XML: a root element whose children are text or CDATA
 * (`<xml><ToUserName><![CDATA[ww…]]></ToUserName><Encrypt>…</Encrypt></xml>`). The envelope and
 * the kf event are that flat, so a strict reader of this subset is safer than a general parser:
 * no DTD or entity declarations (no XXE, no entity expansion), no attributes kept, a repeated
 * field is refused rather than guessed. Children that hold elements are skipped.
 */

export class MalformedXmlError extends Error {
  override name = 'MalformedXmlError';
}

const NAME = /[A-Za-z_][\w.:-]*/y;
const ATTRIBUTES = /(?:\s+[^\s=/>]+\s*=\s*(?:"[^"<]*"|'[^'<]*'))*\s*/y;
const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };
const MAX_DEPTH = 8;

function decodeText(raw: string): string {
  return raw.replace(/&([^;&\s]{1,10});/g, (_, entity: string) => {
    if (entity in ENTITIES) return ENTITIES[entity]!;
    const code = /^#x([0-9a-f]+)$/i.test(entity)
      ? parseInt(entity.slice(2), 16)
      : /^#[0-9]+$/.test(entity)
        ? parseInt(entity.slice(1), 10)
        : NaN;
    if (!Number.isInteger(code) || code > 0x10ffff) throw new MalformedXmlError(`&${entity};`);
    return String.fromCodePoint(code);
  });
}

interface ParsedElement {
  name: string;
  text: string;
  children: ParsedElement[];
}

/** The root's leaf children by name (empty for `<Name/>`); throws MalformedXmlError. */
export function readXmlFields(xml: string): { root: string; fields: Record<string, string> } {
  let at = 0;

  const fail = (what: string): never => {
    throw new MalformedXmlError(`${what} at offset ${at}`);
  };
  const skipSpace = () => {
    while (at < xml.length && /\s/.test(xml[at]!)) at++;
  };
  const startsWith = (text: string) => xml.startsWith(text, at);
  const skipPast = (end: string) => {
    const found = xml.indexOf(end, at);
    if (found < 0) fail(`missing ${end}`);
    const content = xml.slice(at, found);
    at = found + end.length;
    return content;
  };
  const readName = () => {
    NAME.lastIndex = at;
    const match = NAME.exec(xml) ?? fail('expected a name');
    at += match[0].length;
    return match[0];
  };

  function element(depth: number): ParsedElement {
    if (depth > MAX_DEPTH) fail('elements nested too deep');
    at++; // '<'
    const name = readName();
    ATTRIBUTES.lastIndex = at;
    at += ATTRIBUTES.exec(xml)?.[0].length ?? 0;
    if (startsWith('/>')) {
      at += 2;
      return { name, text: '', children: [] };
    }
    if (!startsWith('>')) fail(`malformed start tag <${name}`);
    at++;
    let text = '';
    const children: ParsedElement[] = [];
    for (;;) {
      if (at >= xml.length) fail(`unclosed <${name}>`);
      if (startsWith('<![CDATA[')) {
        at += 9;
        text += skipPast(']]>');
      } else if (startsWith('<!--')) {
        skipPast('-->');
      } else if (startsWith('</')) {
        at += 2;
        if (readName() !== name) fail(`mismatched </…> for <${name}>`);
        skipSpace();
        if (!startsWith('>')) fail('malformed end tag');
        at++;
        return { name, text, children };
      } else if (startsWith('<!') || startsWith('<?')) {
        fail('declarations are not accepted');
      } else if (startsWith('<')) {
        children.push(element(depth + 1));
      } else {
        const next = xml.indexOf('<', at);
        const end = next < 0 ? xml.length : next;
        text += decodeText(xml.slice(at, end));
        at = end;
      }
    }
  }

  skipSpace();
  if (startsWith('<?xml')) skipPast('?>');
  for (;;) {
    skipSpace();
    if (startsWith('<!--')) skipPast('-->');
    else break;
  }
  if (!startsWith('<') || startsWith('<!') || startsWith('<?')) fail('expected the root element');
  const root = element(0);
  skipSpace();
  if (at !== xml.length) fail('content after the root element');

  const fields: Record<string, string> = {};
  for (const child of root.children) {
    if (Object.hasOwn(fields, child.name)) fail(`<${child.name}> given twice`);
    if (child.children.length === 0) fields[child.name] = child.text.trim();
  }
  return { root: root.name, fields };
}
