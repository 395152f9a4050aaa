import {
  mergeSettings,
  type Settings,
  type SettingsPatch,
  settingsSchema,
} from '../../domain/settings/settings.schema';
import { parseOrThrow } from '../../domain/validation';
import type { SettingsStore } from '../../ports/settings-store.port';
import { retryOnConflict } from '../retry-on-conflict';

/** The tenant's settings, with defaults for anything never saved. */
export async function getSettings(tenantId: string, deps: { settings: SettingsStore }): Promise<Settings> {
  return (await deps.settings.getSettings(tenantId)).settings;
}

/** Applies a partial update; the merged result is validated as a whole (e.g. a window wider than 08:00-21:00 is refused). */
export async function updateSettings(
  tenantId: string,
  patch: SettingsPatch,
  deps: { settings: SettingsStore },
): Promise<Settings> {
  return retryOnConflict(async () => {
    const current = await deps.settings.getSettings(tenantId);
    const next = parseOrThrow(settingsSchema, mergeSettings(current.settings, patch), 'settings');
    await deps.settings.saveSettings(tenantId, next, current.version);
    return next;
  });
}
