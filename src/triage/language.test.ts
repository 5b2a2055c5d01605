import { describe, expect, it } from 'vitest';
import { detectLanguage } from './language.js';

const language = (text: string) => detectLanguage(text).language;

describe('detectLanguage', () => {
  it('tells Chinese from English', () => {
    expect(language('快递三天了还没到，能帮我查一下吗')).toBe('zh');
    expect(language('Where is my parcel? It has been a week.')).toBe('en');
    expect(language('great service as always')).toBe('en');
  });

  it('calls mixed text Chinese when the Han characters outweigh the English words', () => {
    expect(language('我的order还没到')).toBe('zh');
    expect(language('请问 refund 什么时候到账')).toBe('zh');
    expect(language('Hi, 我想问一下退款')).toBe('zh');
  });

  it('calls mixed text English when the English words outweigh a few Han characters', () => {
    expect(language('I want to return 这个, the size is wrong')).toBe('en');
  });

  it('ignores reference numbers, model names with digits and e-mail addresses', () => {
    const withNumbers = detectLanguage('单号SF1402938475612，RTX4090，邮箱abc@example.com，还没到');
    expect(withNumbers.language).toBe('zh');
    expect(withNumbers.reasons[0]).toBe('scripts: han 7');
  });

  it('returns other with confidence 0 for emoji, digits or numbers only', () => {
    for (const text of ['😀😀👍', '12345 !!!', 'SF1402938475612', '']) {
      const guess = detectLanguage(text);
      expect(guess.language, text).toBe('other');
      expect(guess.confidence, text).toBe(0);
      expect(guess.reasons[0]).toMatch(/^no letters to judge/);
    }
  });

  it('sees emoji as nothing: they do not change the language', () => {
    expect(language('😡😡😡 where is my parcel???')).toBe('en');
    expect(language('😡 快递呢')).toBe('zh');
  });

  it('tells Japanese by its kana, Korean by Hangul, and Chinese with a stray kana', () => {
    expect(language('注文した商品がまだ届いていません')).toBe('ja');
    expect(language('배송이 아직 안 왔어요')).toBe('ko');
    expect(language('我们店的商品质量很好，快来看看の')).toBe('zh');
  });

  it('separates Latin-script languages by their stop words and letters', () => {
    expect(language("Où est ma commande ? Je ne l'ai pas reçue")).toBe('fr');
    expect(language('Wo ist meine Bestellung? Ich habe sie noch nicht')).toBe('de');
    expect(language('¿Dónde está mi pedido? Todavía no llegó')).toBe('es');
    expect(language('Il mio ordine non è ancora arrivato')).toBe('it');
    expect(language('Meu pedido ainda não chegou, obrigado')).toBe('pt');
    expect(language('Pesanan saya belum sampai')).toBe('id');
    expect(language('Đơn hàng của tôi chưa đến')).toBe('vi');
  });

  it('reads other scripts', () => {
    expect(language('Где мой заказ?')).toBe('ru');
    expect(language('Де моє замовлення? Її ще немає')).toBe('uk');
    expect(language('أين طلبي؟')).toBe('ar');
    expect(language('พัสดุของฉันอยู่ที่ไหน')).toBe('th');
  });

  it('falls back to English for Latin text without stop words, with less confidence', () => {
    const guess = detectLanguage('Bluetooth headset');
    expect(guess.language).toBe('en');
    expect(guess.reasons.at(-1)).toMatch(/defaults to English/);
    expect(guess.confidence).toBeLessThan(detectLanguage('where is my headset').confidence);
  });

  it('is more confident about a long text than about one character', () => {
    expect(detectLanguage('好').confidence).toBeLessThan(
      detectLanguage('快递三天了还没到，能帮我查一下吗').confidence,
    );
    expect(detectLanguage('快递三天了还没到，能帮我查一下吗').confidence).toBeGreaterThan(0.8);
  });

  it('explains the weighing of mixed scripts', () => {
    const { reasons } = detectLanguage('我的order还没到');
    expect(reasons).toEqual([
      'scripts: han 5, latin 5',
      'zh outweighs the rest (weighted 15 of 20; a Han character counts 3)',
    ]);
  });
});
