import { z } from 'zod';
import { parsePhoneNumber } from '../phone/phone-number';

/** Who may send from a number: one tenant, or every member of a pool several tenants share. */
export type NumberOwner = { kind: 'tenant'; tenantId: string } | { kind: 'pool'; pool: string };

/** A sender number in the operator's registry, under its canonical id: the E.164 number. */
export interface SenderNumber {
  number: string;
  /** The ids AWS knows the number by, which resolve to it as well. */
  phoneNumberId: string | null;
  arn: string | null;
  owner: NumberOwner;
  /** Messages per second the carrier allows this number; tenant settings may only lower it. */
  mps: number;
  assignedAt: string;
}

const tenantIdSchema = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/, 'must be a tenant id');
const poolSchema = z.string().regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, 'must be 1-64 lowercase letters, digits, - or _');
export const phoneNumberIdSchema = z.string().regex(/^phone-[0-9A-Za-z]{1,64}$/, 'must be an AWS phone number id');
export const phoneNumberArnSchema = z
  .string()
  .regex(
    /^arn:aws[a-z-]*:sms-voice:[a-z0-9-]+:\d{12}:phone-number\/phone-[0-9A-Za-z]{1,64}$/,
    'must be a phone number ARN',
  );

/** An operator's assignment: a number (with its AWS ids) to a tenant, or to a pool the tenant joins. */
export const assignNumberSchema = z.strictObject({
  tenantId: tenantIdSchema,
  number: z.string().transform((value, ctx) => {
    const parsed = parsePhoneNumber(value, 'US');
    if (!parsed.ok) {
      ctx.addIssue({ code: 'custom', message: `must be a phone number in E.164: ${parsed.reason}` });
      return z.NEVER;
    }
    return parsed.e164;
  }),
  phoneNumberId: phoneNumberIdSchema.optional(),
  arn: phoneNumberArnSchema.optional(),
  /** Kept as it is when a number is assigned again without it (a tenant joining a pool); 1 for a new number. */
  mps: z.number().min(0.1).max(3000).optional(),
  pool: poolSchema.optional(),
});
export type AssignNumber = z.output<typeof assignNumberSchema>;

/** Why an assignment was refused: the number (or one of its ids) belongs to someone else. */
export type AssignOutcome =
  | { kind: 'assigned' | 'unchanged'; number: SenderNumber }
  | { kind: 'taken'; owner: NumberOwner };

/**
 * How a sender is named: an E.164 number (in any format the default country reads), an AWS phone number id or its
 * ARN. Undefined when it is none of these.
 */
export function senderIdentity(value: string): { kind: 'number' | 'alias'; id: string } | undefined {
  const trimmed = value.trim();
  if (phoneNumberIdSchema.safeParse(trimmed).success || phoneNumberArnSchema.safeParse(trimmed).success) {
    return { kind: 'alias', id: trimmed };
  }
  const parsed = parsePhoneNumber(trimmed, 'US');
  return parsed.ok ? { kind: 'number', id: parsed.e164 } : undefined;
}

/** Whether a tenant may send from the number: it owns it, or it is a member of the number's pool. */
export function mayUse(number: SenderNumber, tenantId: string, pools: readonly string[]): boolean {
  return number.owner.kind === 'tenant' ? number.owner.tenantId === tenantId : pools.includes(number.owner.pool);
}
