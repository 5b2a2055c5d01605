/**
 * Knowledge-base Markdown as the plain text a chat channel shows: no `**`, `#` or link
 * syntax reaches a customer. Headings and paragraphs become lines, list items become
 * "- item" lines, links become "text (url)". Built on marked's lexer (a full CommonMark/GFM
 * tokenizer) rather than regular expressions, so nested emphasis, escapes and lists with
 * several lines come out right.
 */
import { Lexer, type Token, type Tokens } from 'marked';

function inline(tokens: Token[] | undefined): string {
  return (tokens ?? []).map(inlineToken).join('');
}

function link(text: string, href: string): string {
  const target = href.replace(/^mailto:/i, '');
  // "support@x.example" linked to itself, or a bare URL: say it once.
  if (!target || text.trim() === target || text.trim() === href) return text || target;
  return `${text} (${target})`;
}

function inlineToken(token: Token): string {
  switch (token.type) {
    case 'strong':
    case 'em':
    case 'del':
      return inline((token as Tokens.Strong).tokens);
    case 'link':
      return link(inline((token as Tokens.Link).tokens), (token as Tokens.Link).href);
    case 'image':
      return link((token as Tokens.Image).text, (token as Tokens.Image).href);
    case 'codespan':
      return (token as Tokens.Codespan).text;
    case 'br':
      return '\n';
    case 'html':
      return (token as Tokens.HTML).text.replace(/<[^>]*>/g, '');
    case 'escape':
      return (token as Tokens.Escape).text;
    case 'text': {
      const text = token as Tokens.Text;
      return text.tokens ? inline(text.tokens) : text.text;
    }
    default:
      return 'text' in token && typeof token.text === 'string' ? token.text : '';
  }
}

function list(token: Tokens.List): string {
  const start = typeof token.start === 'number' ? token.start : 1;
  return token.items
    .map((item, index) => {
      const marker = token.ordered ? `${start + index}. ` : '- ';
      const body = blocks(item.tokens).replace(/\n{2,}/g, '\n');
      return marker + body.replace(/\n/g, '\n  ');
    })
    .join('\n');
}

function block(token: Token): string {
  switch (token.type) {
    case 'heading':
    case 'paragraph':
      return inline((token as Tokens.Paragraph).tokens);
    case 'list':
      return list(token as Tokens.List);
    case 'blockquote':
      return blocks((token as Tokens.Blockquote).tokens);
    case 'code':
      return (token as Tokens.Code).text;
    case 'table': {
      const table = token as Tokens.Table;
      const row = (cells: Tokens.TableCell[]) =>
        cells.map((cell) => inline(cell.tokens)).join(' | ');
      return [row(table.header), ...table.rows.map(row)].join('\n');
    }
    case 'hr':
    case 'space':
    case 'def':
      return '';
    case 'html':
      return (token as Tokens.HTML).text.replace(/<[^>]*>/g, '').trim();
    case 'text': {
      const text = token as Tokens.Text;
      return text.tokens ? inline(text.tokens) : text.text;
    }
    default:
      return inlineToken(token);
  }
}

function blocks(tokens: Token[]): string {
  return tokens
    .map(block)
    .filter((text) => text.trim() !== '')
    .join('\n\n');
}

/**
 * The same few entry answers are converted for reply after reply, and lexing one is a good part
 * of a reply's cost: the last conversions are kept (the function is pure).
 */
const recent = new Map<string, string>();
const RECENT = 256;

/** Plain text for a chat channel from Markdown (plain text passes through unchanged). */
export function markdownToPlainText(markdown: string): string {
  const known = recent.get(markdown);
  if (known !== undefined) return known;
  const text = blocks(new Lexer({ gfm: true }).lex(markdown))
    .replace(/[ \t]+$/gm, '')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
  if (recent.size >= RECENT) recent.delete(recent.keys().next().value!);
  recent.set(markdown, text);
  return text;
}
