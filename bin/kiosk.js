#!/usr/bin/env node
// The kiosk command line: compiled JavaScript when built and current, else the sources (bin/launch.js).
import { launch } from './launch.js';

await launch('src/cli/kiosk');
