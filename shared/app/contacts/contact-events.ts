import type { ContactEvent } from '../../domain/contacts/contact-events';
import { logger } from '../../middleware/logger';
import type { ContactsDeps } from './contacts-deps';

/**
 * Announces contact changes on the `events` queue (workflow triggers and exits), after the write has landed. The
 * write is the caller's answer, so a failed announcement is logged rather than turned into a failed request that a
 * retry could not repeat (the contact exists by then). Without a queue (tests of the contact rules alone) it does
 * nothing.
 */
export async function publishContactEvents(
  deps: Pick<ContactsDeps, 'queue'>,
  events: readonly ContactEvent[],
): Promise<void> {
  if (!deps.queue || events.length === 0) return;
  try {
    await deps.queue.sendMessages(
      'events',
      events.map((body) => ({ body })),
    );
  } catch (error) {
    logger.error('contact events not published', {
      kinds: [...new Set(events.map((event) => event.kind))],
      count: events.length,
      error: error as Error,
    });
  }
}
