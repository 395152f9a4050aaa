/**
 * Clicks a person did not make, and so are not counted (the redirect still answers them):
 *
 * - link previewers and scanners, by user agent: an empty one, or one naming a bot, crawler, spider or preview, a
 *   messaging app's previewer (facebookexternalhit, WhatsApp, Slack, Telegram, Discord, Skype, iMessage's Twitterbot
 *   disguise) or an HTTP library (curl is allowed: people test with it; python-requests, Go-http-client, Java,
 *   okhttp, wget, libwww are not);
 * - carrier and security scanners that open every link as it arrives: a click within
 *   {@link SCANNER_WINDOW_MS} of the text's delivery receipt (or of its send, while no receipt has come).
 */
export const SCANNER_WINDOW_MS = 2_000;

const PREVIEW_AGENT =
  /bot\b|bot\/|crawler|spider|preview|facebookexternalhit|facebot|whatsapp|slack|telegram|discord|skypeuri|linkedin|embedly|quora link|pinterest|vkshare|w3c_validator|python-requests|python-urllib|go-http-client|java\/|okhttp|wget|libwww|httpclient|headless|scanner|urlscan|proofpoint|mimecast|barracuda/i;

/** True for a user agent that is a link previewer, a scanner or an HTTP library rather than a person's browser. */
export function isAutomatedAgent(userAgent: string | undefined): boolean {
  const agent = (userAgent ?? '').trim();
  return agent === '' || PREVIEW_AGENT.test(agent);
}

/** The earliest instant a click on a text sent at `sentAt` (delivered at `deliveredAt`, if known) counts. */
export function firstCountableClickAt(sentAt: string, deliveredAt?: string): number {
  const reference = Math.max(Date.parse(sentAt), deliveredAt ? Date.parse(deliveredAt) : 0);
  return reference + SCANNER_WINDOW_MS;
}

/** Whether a click counts: a person's browser, and not within the scanner window of the text's arrival. */
export function isCountedClick(click: {
  userAgent: string | undefined;
  at: Date;
  sentAt: string;
  deliveredAt?: string;
}) {
  if (isAutomatedAgent(click.userAgent)) return false;
  return click.at.getTime() >= firstCountableClickAt(click.sentAt, click.deliveredAt);
}

/**
 * Whether a click at `at` stands against the text's delivery receipt: not within the scanner window after it. Judged
 * when clicks are read (the receipt may come after the click was taken in) and before a first click is decided.
 */
export function clickStandsAfterReceipt(at: string, deliveredAt: string | undefined): boolean {
  return deliveredAt === undefined || Date.parse(at) >= Date.parse(deliveredAt) + SCANNER_WINDOW_MS;
}
