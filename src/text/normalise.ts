/** Text normalisation shared by every step that compares text: one canonical form per string. */

/**
 * NFKC folds full-width letters, digits and punctuation to their half-width forms
 * (Ｓ Ｆ １ → S F 1, ！→ !) while leaving emoji and CJK ideographs untouched.
 */
export function normaliseText(text: string): string {
  return text
    .normalize('NFKC')
    .replace(/[\u200b-\u200d\ufeff]/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}
