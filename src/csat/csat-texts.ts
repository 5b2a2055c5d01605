/** What the customer reads: the one-question survey and the thanks for a rating, in zh or en. */

export type SurveyLanguage = 'zh' | 'en';

/** The ticket's language when it is Chinese, English otherwise (the console's two languages). */
export function surveyLanguage(ticketLanguage: string | null): SurveyLanguage {
  return ticketLanguage?.toLowerCase().startsWith('zh') ? 'zh' : 'en';
}

export function surveyQuestion(language: SurveyLanguage): string {
  return language === 'zh'
    ? '您的问题已处理完毕。请问您对本次服务满意吗？请直接回复数字 1-5：5 表示非常满意，1 表示非常不满意。'
    : 'Your request has been resolved. How satisfied are you with our help? Reply with a number from 1 (very dissatisfied) to 5 (very satisfied).';
}

/** A low rating invites the customer to say what is still wrong; the reply is triaged as usual. */
export function ratingThanks(language: SurveyLanguage, rating: number): string {
  if (rating >= 4)
    return language === 'zh' ? '感谢您的评价，祝您生活愉快！' : 'Thank you for your rating!';
  return language === 'zh'
    ? '感谢您的评价，我们会继续改进。如果问题还没有解决，请直接回复告诉我们。'
    : 'Thank you for your rating; we will do better. If the problem is not solved yet, just reply and tell us.';
}
