import { Logger } from '@aws-lambda-powertools/logger';

/**
 * One structured logger per process. Never log full phone numbers or message bodies at info
 * level: use maskPhoneNumber() and log bodies only at debug.
 */
export const logger = new Logger({
  serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'sms-engine',
  logLevel: (process.env.LOG_LEVEL as 'INFO' | undefined) ?? 'INFO',
});
