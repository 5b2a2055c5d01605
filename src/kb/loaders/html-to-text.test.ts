import { describe, expect, it } from 'vitest';
import { decodeEntities, htmlToText } from './html-to-text.js';

describe('htmlToText', () => {
  it('turns blocks into paragraphs and <br> into line breaks', () => {
    const page = htmlToText('<div><h2>退货</h2><p>第一行<br>第二行</p><p>第三段</p></div>');
    expect(page.text).toBe('退货\n\n第一行\n第二行\n\n第三段');
  });

  it('collapses source whitespace but keeps <pre> lines', () => {
    expect(htmlToText('<p>  a\n   b  </p><pre>x  y\nz</pre>').text).toBe('a b\n\nx  y\nz');
  });

  it('reads attributes that contain > and lang in any position', () => {
    const page = htmlToText(
      `<html dir="ltr" lang='en-US'><body><a title="a>b" href="/x">Track parcel</a></body></html>`,
    );
    expect(page).toEqual({ text: 'Track parcel', lang: 'en-US' });
  });

  it('falls back to the first <h1> for the title', () => {
    expect(htmlToText('<body><h1>Returns &amp; refunds</h1><p>Text</p></body>').title).toBe(
      'Returns & refunds',
    );
  });

  it('does not let an unclosed <nav> swallow the page, while an unclosed <script> ends it', () => {
    expect(htmlToText('<nav><a>Home</a><p>Policy text</p>').text).toBe('Home\n\nPolicy text');
    expect(htmlToText('<p>Visible</p><script>var x = "<p>hidden</p>";').text).toBe('Visible');
  });

  it('drops comments, also an unclosed one', () => {
    expect(htmlToText('<p>a<!-- note --></p><p>b</p><!-- draft').text).toBe('a\n\nb');
  });
});

describe('decodeEntities', () => {
  it('decodes named, decimal and hex entities and leaves unknown ones', () => {
    expect(
      decodeEntities('&lt;p&gt; &quot;x&quot; &#128077; &#x4F60;&#22909; &hellip; AT&T &bogus;'),
    ).toBe('<p> "x" 👍 你好 … AT&T &bogus;');
  });

  it('replaces code points that are not characters', () => {
    expect(decodeEntities('&#xD800;&#0;&#x110000;')).toBe('\ufffd\ufffd\ufffd');
  });
});
