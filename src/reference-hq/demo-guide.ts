import { readFile } from 'node:fs/promises';
import { projectPath } from '../platform/project-root.ts';

/** The reference HQ's published service guide (config/service-guide.json), as JSON. */
export const DEMO_GUIDE_PATH = projectPath('config', 'service-guide.json');

/** The guide the embedded reference HQ publishes to a new station; the kiosk checks it like any other. */
export async function readDemoGuide(): Promise<unknown> {
  return JSON.parse(await readFile(DEMO_GUIDE_PATH, 'utf8'));
}
