import { z } from 'zod';

/** `GET /l/{code}`: a short code as sent in a text (anything else is the plain 404 page). */
export const linkCodeParams = z.object({
  code: z
    .string()
    .meta({ description: '12 URL-safe characters (base64url of 72 random bits)', example: 'q3Zk0v_J9a-B' }),
});
