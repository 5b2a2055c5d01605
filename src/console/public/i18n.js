/** The console's two languages: the chosen one, labels in it, category names, numbers and dates. */
import { strings } from './strings.js';

/** Category names from knowledge-base/taxonomy.yaml (the API has no taxonomy route). */
export const categories = {
  logistics: { zh: '物流查询', en: 'Shipping & delivery' },
  return_exchange: { zh: '退换货', en: 'Returns & exchanges' },
  refund: { zh: '退款', en: 'Refunds' },
  quality_issue: { zh: '质量问题', en: 'Quality issues' },
  repair_warranty: { zh: '维修保修', en: 'Repair & warranty' },
  product_question: { zh: '商品咨询', en: 'Product questions' },
  order_change: { zh: '修改订单', en: 'Order changes' },
  invoice: { zh: '发票', en: 'Invoices' },
  payment_promo: { zh: '支付优惠', en: 'Payment & promotions' },
  account_privacy: { zh: '账户隐私', en: 'Account & privacy' },
  complaint: { zh: '投诉', en: 'Complaints' },
  feedback: { zh: '表扬建议', en: 'Praise & suggestions' },
  other: { zh: '其他', en: 'Other' },
};

export const languages = /** @type {const} */ (['en', 'zh']);
const storageKey = 'console.language';

function initialLanguage() {
  const stored = localStorage.getItem(storageKey);
  if (stored && languages.includes(stored)) return stored;
  return (navigator.language || 'en').toLowerCase().startsWith('zh') ? 'zh' : 'en';
}

let current = initialLanguage();

export const language = () => current;
export const locale = () => (current === 'zh' ? 'zh-CN' : 'en');

export function setLanguage(next) {
  if (!languages.includes(next)) return;
  current = next;
  localStorage.setItem(storageKey, next);
  document.documentElement.lang = locale();
  document.title = t('app.title');
}

/** The label for a key in the current language, with `{name}` placeholders filled in. */
export function t(key, params = {}) {
  const template = strings[current][key] ?? strings.en[key] ?? key;
  return template.replace(/\{(\w+)\}/g, (whole, name) =>
    name in params ? String(params[name]) : whole,
  );
}

export function categoryName(key) {
  if (!key) return t('category.none');
  return categories[key]?.[current] ?? key;
}

export const formatPercent = (value) =>
  value == null
    ? '—'
    : new Intl.NumberFormat(locale(), { style: 'percent', maximumFractionDigits: 0 }).format(value);

export const formatTime = (iso) =>
  new Intl.DateTimeFormat(locale(), {
    month: 'short',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
  }).format(new Date(iso));
