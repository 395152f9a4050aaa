import { settingsPatchSchema, settingsSchema } from '../../shared/domain/settings/settings.schema';

/** What the settings API accepts and answers. */
export const patchSettingsBody = settingsPatchSchema;
export const settingsResponse = settingsSchema;
