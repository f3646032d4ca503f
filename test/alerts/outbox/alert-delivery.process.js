/* eslint-disable @typescript-eslint/no-require-imports */
'use strict';
// Runs test/alerts/outbox/alert-delivery.process.ts in a child process: specs need a worker they can
// SIGKILL, and `dist` (built by `npm test`) may be older than the sources under test.
const { readFileSync } = require('node:fs');
const { resolve } = require('node:path');
const { transformSync } = require('@swc/core');

const root = resolve(__dirname, '../../..');
require.extensions['.ts'] = (module, filename) => {
  const options = { filename, cwd: root, swcrc: true, configFile: resolve(root, '.swcrc') };
  module._compile(transformSync(readFileSync(filename, 'utf8'), options).code, filename);
};
require('./alert-delivery.process.ts');
