/** The kinds of personal data the redactor finds, their placeholders and the span types its detectors share. */
import type { TextSpan } from './entities.js';

export type PiiKind =
  | 'phone'
  | 'id_number'
  | 'bank_card'
  | 'bank_account'
  | 'email'
  | 'address'
  | 'name'
  | 'im_account'
  | 'credential';

export interface PiiFinding {
  kind: PiiKind;
  start: number;
  end: number;
}

export const piiPlaceholders: Record<PiiKind, string> = {
  phone: '[PHONE]',
  id_number: '[ID_NUMBER]',
  bank_card: '[BANK_CARD]',
  bank_account: '[BANK_ACCOUNT]',
  email: '[EMAIL]',
  address: '[ADDRESS]',
  name: '[NAME]',
  im_account: '[IM_ACCOUNT]',
  credential: '[CREDENTIAL]',
};

export interface Candidate extends TextSpan {
  kind: PiiKind;
  /** Wins over lower priorities where spans overlap. */
  priority: number;
}
