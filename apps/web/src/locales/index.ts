import admin from './admin';
import alerts from './alerts';
import common from './common';
import dashboard from './dashboard';
import targets from './targets';

// Each area keeps its messages in its own file; both languages side by side so none is forgotten.
const AREAS = [common, dashboard, alerts, admin, targets];

type Tree = { [key: string]: string | Tree };
const merge = (language: 'en' | 'zh-CN'): Tree => Object.assign({}, ...AREAS.map((area) => area[language]));

export const MESSAGES = { en: merge('en'), 'zh-CN': merge('zh-CN') };
