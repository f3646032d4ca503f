import { types } from 'pg';

// Calendar dates stay 'YYYY-MM-DD': as a JS Date they would shift with the process's time zone.
// pg's type parsers are global to the process, so this holds for every pool and client.
types.setTypeParser(types.builtins.DATE, (value: string) => value);
