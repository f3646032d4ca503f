import i18next from 'i18next';
import { initReactI18next, useTranslation } from 'react-i18next';
import { MESSAGES } from './locales';

export const LANGUAGES = { en: 'English', 'zh-CN': '简体中文' } as const;
export type Language = keyof typeof LANGUAGES;
const STORED = 'salesledger.language';

const initial = (): Language => {
  const stored = localStorage.getItem(STORED);
  if (stored && stored in LANGUAGES) return stored as Language;
  return navigator.language.toLowerCase().startsWith('zh') ? 'zh-CN' : 'en';
};

void i18next.use(initReactI18next).init({
  resources: { en: { translation: MESSAGES.en }, 'zh-CN': { translation: MESSAGES['zh-CN'] } },
  lng: initial(),
  fallbackLng: 'en',
  interpolation: { escapeValue: false }, // React escapes
});
document.documentElement.lang = i18next.language;

export function setLanguage(language: Language): void {
  localStorage.setItem(STORED, language);
  document.documentElement.lang = language;
  void i18next.changeLanguage(language);
}

/** Numbers, money and dates in the reader's language. Money arrives as decimal strings. */
export function useFormat() {
  const { i18n } = useTranslation();
  const locale = i18n.language;
  const decimal = new Intl.NumberFormat(locale, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  const whole = new Intl.NumberFormat(locale, { maximumFractionDigits: 1 });
  const percent = new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 1 });
  const date = new Intl.DateTimeFormat(locale, { dateStyle: 'medium' });
  const dateTime = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' });
  const monthName = new Intl.DateTimeFormat(locale, { month: 'short', timeZone: 'UTC' });
  const monthOfYear = new Intl.DateTimeFormat(locale, { month: 'long', year: 'numeric', timeZone: 'UTC' });
  const none = '—';
  return {
    money: (value: string | number | null | undefined) =>
      value === null || value === undefined ? none : decimal.format(Number(value)),
    number: (value: number | null | undefined) => (value === null || value === undefined ? none : whole.format(value)),
    percent: (ratio: number | null | undefined) =>
      ratio === null || ratio === undefined ? none : percent.format(ratio),
    day: (iso: string | null | undefined) =>
      iso ? date.format(new Date(iso.length === 10 ? `${iso}T00:00:00` : iso)) : none,
    instant: (iso: string | null | undefined) => (iso ? dateTime.format(new Date(iso)) : none),
    /** A month's short name (`2026-03`: "Mar", "3月"), for column heads. */
    monthName: (month: string) => monthName.format(new Date(`${month}-01T00:00:00Z`)),
    /** A month with its year (`2026-03`: "March 2026", "2026年3月"). */
    month: (month: string) => monthOfYear.format(new Date(`${month}-01T00:00:00Z`)),
  };
}

export default i18next;
