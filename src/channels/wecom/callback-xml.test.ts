import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { MalformedXmlError, readXmlFields } from './callback-xml.js';

const fixture = (name: string) =>
  readFileSync(new URL(`./__fixtures__/${name}`, import.meta.url), 'utf8');

describe('readXmlFields', () => {
  it('reads the encrypted envelope of WeCom sample', () => {
    const { root, fields } = readXmlFields(fixture('callback-envelope.xml'));
    expect(root).toBe('xml');
    expect(fields.ToUserName).toBe('ww1436e0e65a779aee');
    expect(fields.Encrypt).toMatch(/^Kl7kjoSf6DMD.*ypE\+$/);
    expect(fields.AgentID).toBe('1000002');
  });

  it('reads the kf event of the documentation', () => {
    const { fields } = readXmlFields(fixture('kf-event.xml'));
    expect(fields).toEqual({
      ToUserName: 'ww12345678910',
      CreateTime: '1348831860',
      MsgType: 'event',
      Event: 'kf_msg_or_event',
      Token: 'ENCApHxnGDNAVNY4AaSJKj4Tb5mwsEMzxhFmHVGcra996NR',
      OpenKfId: 'wkxxxxxxx',
    });
  });

  it('decodes entities outside CDATA, keeps CDATA as it is, reads empty elements', () => {
    const { fields } = readXmlFields(
      '<?xml version="1.0"?>\n<xml><A>a &amp; b &lt;c&gt; &#20320;&#x597D;</A><B><![CDATA[<b>&amp;</b>]]></B><C/><D x="1"></D></xml>',
    );
    expect(fields).toEqual({ A: 'a & b <c> 你好', B: '<b>&amp;</b>', C: '', D: '' });
  });

  it('skips children that hold elements', () => {
    const { fields } = readXmlFields('<xml><A><B>1</B></A><C>2</C></xml>');
    expect(fields).toEqual({ C: '2' });
  });

  it.each([
    ['empty', ''],
    ['not XML', 'msg_signature=1'],
    ['JSON', '{"encrypt":"x"}'],
    ['unclosed', '<xml><Encrypt>abc</Encrypt>'],
    ['mismatched', '<xml><Encrypt>abc</Crypt></xml>'],
    ['a DOCTYPE', '<!DOCTYPE xml [<!ENTITY e SYSTEM "file:///etc/passwd">]><xml><A>&e;</A></xml>'],
    ['an inner declaration', '<xml><!ENTITY e "x"><A>1</A></xml>'],
    ['an unknown entity', '<xml><A>&e;</A></xml>'],
    ['a field twice', '<xml><Encrypt>a</Encrypt><Encrypt>b</Encrypt></xml>'],
    ['content after the root', '<xml></xml><xml></xml>'],
    ['deep nesting', `${'<a>'.repeat(20)}${'</a>'.repeat(20)}`],
  ])('refuses %s', (_, xml) => {
    expect(() => readXmlFields(xml)).toThrow(MalformedXmlError);
  });
});
