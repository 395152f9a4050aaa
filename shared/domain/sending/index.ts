export { nextCommonOpening } from './common-opening';
export { compileDailyWindow, type DailyWindow, parseClockTime } from './daily-window';
export { isMarketing } from './message-purpose';
export { nextPermittedInstant, type RecipientClocks, SEARCH_HORIZON_MS } from './recipient-opening';
export {
  checkSendTime,
  effectiveWindow,
  recipientZones,
  type SendTimeCheck,
  type SendTimeContact,
  type SendTimeOptions,
  type SendTimeReason,
  STRICT_STATE_LEGAL_END,
} from './send-window';
export { isKnownZone, type ZoneClock, zoneClock } from './zone-clock';
export { isOpenInZone, nextOpeningInZone } from './zoned-window';
