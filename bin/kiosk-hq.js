#!/usr/bin/env node
// The reference HQ's command line: compiled JavaScript when built and current, else the sources.
import { launch } from './launch.js';

await launch('src/cli/kiosk-hq');
