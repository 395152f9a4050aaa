import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { followLink } from '../../shared/app/links/follow-link.use-case';
import { LinkLookupCache } from '../../shared/app/links/link-lookup-cache';
import { createLinkDeps } from '../../shared/config/link-deps.factory';
import { logger } from '../../shared/middleware/logger';

const deps = createLinkDeps();
const queue = deps.queue;
if (!queue) throw new Error('EVENTS_QUEUE_URL is required: clicks are counted from the events queue');
/** Links read by this process, kept while they live (a link never changes once stored); its hit rate is measured. */
export const linkCache = new LinkLookupCache(deps.links);
const followDeps = { links: linkCache, clock: deps.clock, queue };

/** A plain page for a code nobody knows (or that expired): never a redirect, so the route is no open redirect. */
const NOT_FOUND_PAGE =
  '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Link not found</title></head>' +
  '<body><h1>Link not found</h1><p>This link does not exist or has expired.</p></body></html>';

const page = (statusCode: number, body: string): APIGatewayProxyStructuredResultV2 => ({
  statusCode,
  headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' },
  body,
});

/**
 * `GET /l/{code}`, public: 302 to the link's original URL (taken from the stored link, never from the request),
 * counting the click when a person made it; 404 page for an unknown or expired code. The hottest public route, so no
 * middleware chain: no body to parse, no claims, nothing to log unless it fails (with the request id).
 */
export const lambdaHandler = async (
  event: APIGatewayProxyEventV2,
  context: Context,
): Promise<APIGatewayProxyStructuredResultV2> => {
  try {
    const followed = await followLink(
      { code: event.pathParameters?.code ?? '', userAgent: event.headers?.['user-agent'] },
      followDeps,
    );
    if (!followed) return page(404, NOT_FOUND_PAGE);
    // no-store: every click reaches us (a cached redirect would hide repeat clicks); no-referrer: the code stays ours.
    return {
      statusCode: 302,
      headers: { location: followed.url, 'cache-control': 'no-store', 'referrer-policy': 'no-referrer' },
    };
  } catch (error) {
    logger.error('short link failed', { requestId: context.awsRequestId, error: error as Error });
    return page(500, '<!doctype html><title>Error</title><p>Something went wrong. Please try again.</p>');
  }
};

export const handler = lambdaHandler;
