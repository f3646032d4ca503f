#!/usr/bin/env node
/* eslint-disable @typescript-eslint/no-require-imports */
'use strict';
const { existsSync } = require('node:fs');
const { join } = require('node:path');

const main = join(__dirname, '..', 'dist', 'apps', 'salesledger', 'src', 'main.js');
if (!existsSync(main)) {
  console.error('salesledger is not built yet: run `npm run build` (npm start and npm test build it for you)');
  process.exit(1);
}
require(main);
