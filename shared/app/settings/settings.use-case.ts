import {
  mergeSettings,
  type Settings,
  type SettingsPatch,
  settingsRulesSchema,
} from '../../domain/settings/settings.schema';
import { parseOrThrow } from '../../domain/validation';
import type { NumberRegistry } from '../../ports/number-registry.port';
import type { SettingsStore } from '../../ports/settings-store.port';
import { assertRateWithinNumber, assertTenantNumber } from '../numbers/sender-numbers.use-case';
import { retryOnConflict } from '../retry-on-conflict';

/** The tenant's settings, with defaults for anything never saved. */
export async function getSettings(tenantId: string, deps: { settings: SettingsStore }): Promise<Settings> {
  return (await deps.settings.getSettings(tenantId)).settings;
}

/**
 * Applies a partial update; the merged result is validated as a whole (e.g. a window wider than 08:00-21:00 is
 * refused). A sender number must be one the operator assigned to the tenant (422 otherwise); it is kept as its
 * canonical E.164 number, whichever of its names (number, AWS id, ARN) was given.
 */
export async function updateSettings(
  tenantId: string,
  patch: SettingsPatch,
  deps: { settings: SettingsStore; numbers: NumberRegistry },
): Promise<Settings> {
  const sender =
    typeof patch.originationIdentity === 'string'
      ? await assertTenantNumber(tenantId, patch.originationIdentity, deps)
      : patch.originationIdentity;
  const checked = sender === undefined ? patch : { ...patch, originationIdentity: sender };
  return retryOnConflict(async () => {
    const current = await deps.settings.getSettings(tenantId);
    const next = parseOrThrow(settingsRulesSchema, mergeSettings(current.settings, checked), 'settings');
    if (patch.mps !== undefined || patch.originationIdentity !== undefined) {
      await assertRateWithinNumber(tenantId, next, deps);
    }
    await deps.settings.saveSettings(tenantId, next, current.version);
    return next;
  });
}
