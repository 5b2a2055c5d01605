/**
 * HTML to readable text for the knowledge base: block elements become line breaks, list items
 * bullets, table cells ` | `, entities are decoded, scripts, styles and navigation dropped.
 * Written here because LangChain's HTML routes need packages we do not have: `HTMLWebBaseLoader`
 * only fetches URLs, `HtmlToTextTransformer` needs `html-to-text` and the Cheerio loader `cheerio`.
 */

export interface HtmlText {
  text: string;
  title?: string;
  /** The `lang` attribute of <html>, as written (zh-CN, en...). */
  lang?: string;
}

/** Content that is not prose: dropped with everything inside it. */
const SKIPPED = new Set([
  'head',
  'title',
  'script',
  'style',
  'noscript',
  'template',
  'svg',
  'math',
  'iframe',
  'object',
  'canvas',
  'nav',
  'select',
]);
/** Elements whose content is never HTML, so their end must be searched for as text. */
const RAW_TEXT = new Set(['script', 'style', 'title', 'textarea']);
const PARAGRAPH = new Set([
  'p',
  'div',
  'section',
  'article',
  'main',
  'header',
  'footer',
  'aside',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'ul',
  'ol',
  'dl',
  'table',
  'blockquote',
  'pre',
  'figure',
  'form',
  'fieldset',
  'address',
  'details',
  'hr',
]);
const LINE = new Set(['br', 'tr', 'dt', 'dd', 'figcaption', 'summary', 'caption', 'li']);

const TOKEN =
  /<!--[\s\S]*?(?:-->|$)|<!\[CDATA\[[\s\S]*?(?:\]\]>|$)|<![^>]*>|<\?[^>]*>|<(\/?)([a-zA-Z][a-zA-Z0-9:-]*)((?:[^>"']|"[^"]*"|'[^']*')*)>|[^<]+|</g;

const HTML_LANG = /<html\b(?:[^>"']|"[^"]*"|'[^']*')*?\blang\s*=\s*["']?([\w-]+)/i;

export function htmlToText(html: string): HtmlText {
  const parts: string[] = [];
  let preDepth = 0;
  TOKEN.lastIndex = 0;
  for (let match = TOKEN.exec(html); match !== null; match = TOKEN.exec(html)) {
    const [token, slash, rawName] = match;
    if (rawName === undefined) {
      if (token.startsWith('<!') || token.startsWith('<?')) continue; // comment, doctype, CDATA
      const text = decodeEntities(token);
      parts.push(preDepth > 0 ? text : text.replace(/\s+/g, ' '));
      continue;
    }
    const name = rawName.toLowerCase();
    const closing = slash === '/';
    if (!closing && SKIPPED.has(name) && !token.endsWith('/>')) {
      const endTag = new RegExp(`</${name}\\s*>`, 'gi');
      endTag.lastIndex = TOKEN.lastIndex;
      const end = endTag.exec(html);
      // An unclosed <head> or <nav> must not swallow the page; an unclosed <script> may.
      if (end !== null || RAW_TEXT.has(name)) {
        TOKEN.lastIndex = end === null ? html.length : endTag.lastIndex;
        continue;
      }
    }
    if (name === 'pre') preDepth = Math.max(0, preDepth + (closing ? -1 : 1));
    if (PARAGRAPH.has(name)) parts.push('\n\n');
    else if (LINE.has(name) && !closing) parts.push('\n'); // the next line's opening ends this one
    if (name === 'li' && !closing) parts.push('- ');
    // Cells are separated when they open: HTML lets </td> be left out.
    if ((name === 'td' || name === 'th') && !closing) parts.push(' | ');
  }
  return {
    text: tidy(parts.join('')),
    ...optional('title', firstText(html, 'title') ?? firstText(html, 'h1')),
    ...optional('lang', HTML_LANG.exec(html)?.[1]),
  };
}

function optional<K extends string>(key: K, value: string | undefined): Partial<Record<K, string>> {
  return value === undefined || value === '' ? {} : ({ [key]: value } as Record<K, string>);
}

function firstText(html: string, element: string): string | undefined {
  const inner = new RegExp(`<${element}\\b[^>]*>([\\s\\S]*?)</${element}\\s*>`, 'i').exec(
    html,
  )?.[1];
  if (inner === undefined) return undefined;
  return decodeEntities(inner.replace(/<[^>]*>/g, ' '))
    .replace(/\s+/g, ' ')
    .trim();
}

function tidy(text: string): string {
  return text
    .split('\n')
    .map((line) => line.replace(/^(?:\s*\|\s*)+|(?:\s*\|\s*)+$/g, '').trim())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

const NAMED: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: ' ',
  ensp: ' ',
  emsp: ' ',
  thinsp: ' ',
  copy: '©',
  reg: '®',
  trade: '™',
  hellip: '…',
  mdash: '—',
  ndash: '–',
  lsquo: '‘',
  rsquo: '’',
  ldquo: '“',
  rdquo: '”',
  laquo: '«',
  raquo: '»',
  middot: '·',
  bull: '•',
  deg: '°',
  times: '×',
  divide: '÷',
  plusmn: '±',
  yen: '¥',
  euro: '€',
  pound: '£',
  cent: '¢',
  sect: '§',
  para: '¶',
  rarr: '→',
  larr: '←',
  harr: '↔',
  check: '✓',
  shy: '',
};

export function decodeEntities(text: string): string {
  return text.replace(
    /&(?:#(\d+)|#x([0-9a-f]+)|([a-z][a-z0-9]*));?/gi,
    (entity, dec, hex, name) => {
      if (name !== undefined) return NAMED[name.toLowerCase()] ?? entity;
      const codePoint = dec !== undefined ? Number.parseInt(dec, 10) : Number.parseInt(hex, 16);
      const valid =
        codePoint > 0 && codePoint <= 0x10ffff && (codePoint < 0xd800 || codePoint > 0xdfff);
      return valid ? String.fromCodePoint(codePoint) : '\ufffd';
    },
  );
}
