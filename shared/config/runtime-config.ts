import { z } from 'zod';

const configSchema = z.object({
  CONTACTS_TABLE_NAME: z.string().min(1),
  /** The operator's number registry; only the functions that read it are given it. */
  NUMBERS_TABLE_NAME: z.string().min(1).optional(),
  DYNAMODB_ENDPOINT: z.url().optional(),
  AWS_REGION: z.string().default('us-east-1'),
});
export type RuntimeConfig = z.infer<typeof configSchema>;

/** Reads the environment once through a schema: a missing variable fails the cold start, not a request. */
export function loadRuntimeConfig(env: NodeJS.ProcessEnv = process.env): RuntimeConfig {
  const parsed = configSchema.safeParse(env);
  if (!parsed.success) {
    throw new Error(
      `Invalid environment: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
    );
  }
  return parsed.data;
}
