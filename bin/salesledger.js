#!/usr/bin/env node
/* eslint-disable @typescript-eslint/no-require-imports */
'use strict';
require('../dist/apps/salesledger/src/main.js');
