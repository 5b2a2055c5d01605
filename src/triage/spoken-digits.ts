/**
 * Numbers read out digit by digit in Chinese (一八六…, 幺三九…, 壹叁捌…) as ASCII digits, so the
 * phone, ID and card detectors see them. Each numeral is one UTF-16 unit, as is its digit, so offsets
 * into the result are offsets into the input. Only runs of seven or more digits are rewritten: a
 * phone, ID or card number, never a count or a year (买了三个, 二零二四年).
 */
const DIGIT_OF: Readonly<Record<string, string>> = {
  零: '0',
  〇: '0',
  一: '1',
  幺: '1',
  壹: '1',
  二: '2',
  两: '2',
  贰: '2',
  三: '3',
  叁: '3',
  四: '4',
  肆: '4',
  五: '5',
  伍: '5',
  六: '6',
  陆: '6',
  七: '7',
  柒: '7',
  八: '8',
  捌: '8',
  九: '9',
  玖: '9',
};
const DIGIT = `[${Object.keys(DIGIT_OF).join('')}0-9]`;
/** Seven or more digits, single spaces or hyphens between groups allowed ("一五九 八八七七 六六五五"). */
const RUN = new RegExp(`${DIGIT}(?:[ -]?${DIGIT}){6,}`, 'g');

export function spokenDigitsToAscii(text: string): string {
  return text.replace(RUN, (run) =>
    /[^\d -]/.test(run) ? [...run].map((char) => DIGIT_OF[char] ?? char).join('') : run,
  );
}
