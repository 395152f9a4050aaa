export { compileDailyWindow, type DailyWindow, parseClockTime } from './daily-window';
export { isMarketing } from './message-purpose';
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
