// Placeholder replaced by the settings module (conf + zod schema).
import type { ProfilePaths } from './paths.js';
export interface Settings {
  readonly path: string;
  get(key: string): unknown;
}
export function openSettings(paths: ProfilePaths): Settings {
  return { path: paths.configFile, get: () => undefined };
}
