import { ConflictError, NotFoundError, RuleViolationError } from '../../domain/errors';
import { type AssignNumber, mayUse, type SenderNumber, senderIdentity } from '../../domain/numbers/sender-number';
import type { Settings } from '../../domain/settings/settings.schema';
import type { Clock } from '../../ports/clock.port';
import type { NumberRegistry } from '../../ports/number-registry.port';
import type { Queue } from '../../ports/queue.port';

type RegistryDeps = { numbers: NumberRegistry };

/**
 * The operator assigns a number to a tenant, or to a pool the tenant joins (several tenants share a pool's numbers).
 * 409 `NUMBER.TAKEN` when another tenant or pool holds it: a number has one owner.
 */
export async function assignNumber(input: AssignNumber, deps: RegistryDeps & { clock: Clock }): Promise<SenderNumber> {
  const outcome = await deps.numbers.assign(input, deps.clock.now().toISOString());
  if (outcome.kind === 'taken') {
    const holder = outcome.owner.kind === 'tenant' ? 'another tenant' : `the pool ${outcome.owner.pool}`;
    throw new ConflictError('NUMBER.TAKEN', `${input.number} (or one of its ids) belongs to ${holder}`, {
      field: 'number',
    });
  }
  return outcome.number;
}

/** The numbers a tenant may send from (its own and its pools'), by number. */
export function numbersOf(tenantId: string, deps: RegistryDeps): Promise<SenderNumber[]> {
  return deps.numbers.numbersOf(tenantId);
}

/**
 * The canonical number (E.164) of a sender a tenant picks in its settings; 422 `SETTINGS.NUMBER_NOT_ASSIGNED` naming
 * `originationIdentity` unless it is one of the tenant's numbers (an E.164 number, its AWS id or its ARN).
 */
export async function assertTenantNumber(tenantId: string, identity: string, deps: RegistryDeps): Promise<string> {
  const named = senderIdentity(identity);
  const number = named ? await deps.numbers.resolve(named.id) : undefined;
  const pools = number?.owner.kind === 'pool' ? await deps.numbers.poolsOf(tenantId) : [];
  if (!number || !mayUse(number, tenantId, pools)) {
    const message = `${identity} is not one of your sender numbers (GET /v1/numbers lists them; an operator assigns them)`;
    throw new RuleViolationError('SETTINGS.NUMBER_NOT_ASSIGNED', message, [{ path: 'originationIdentity', message }]);
  }
  return number.number;
}

/** A number with no known limit is paced at 1 message a second, the least any carrier allows (stated in the README). */
export const DEFAULT_NUMBER_MPS = 1;

/** The number a tenant sends from and the rate to send at: the number's limit, or the tenant's lower setting. */
export interface SendingNumber {
  number: string;
  mps: number;
}

/**
 * The number a tenant sends from and its limit: the one its settings name if it still holds it, else its first;
 * undefined when it holds none. Checked against the registry on every use: a number taken back by the operator is no
 * longer sent from.
 */
async function pickedNumber(
  tenantId: string,
  settings: Pick<Settings, 'originationIdentity'>,
  deps: RegistryDeps,
): Promise<SendingNumber | undefined> {
  const held = await deps.numbers.numbersOf(tenantId);
  const picked = held.find((number) => number.number === settings.originationIdentity) ?? held[0];
  return picked && { number: picked.number, mps: picked.mps || DEFAULT_NUMBER_MPS };
}

/** The number a tenant sends from, paced at the number's limit or the tenant's lower setting. */
export async function sendingNumberOf(
  tenantId: string,
  settings: Pick<Settings, 'originationIdentity' | 'mps'>,
  deps: RegistryDeps,
): Promise<SendingNumber | undefined> {
  const picked = await pickedNumber(tenantId, settings, deps);
  return picked && { number: picked.number, mps: Math.min(picked.mps, settings.mps) };
}

/**
 * The number a tenant's texts go out from: the one its settings pick while it still holds it, else its first
 * assigned number. Undefined when it has none: it cannot send (never silently from the account's shared default).
 */
export async function senderOf(
  tenantId: string,
  settings: Pick<Settings, 'originationIdentity'>,
  deps: RegistryDeps,
): Promise<string | undefined> {
  return (await pickedNumber(tenantId, settings, deps))?.number;
}

/**
 * 422 `SETTINGS.MPS_ABOVE_NUMBER_LIMIT` when the tenant's `mps` is above what its sending number allows (naming both):
 * settings may only lower the rate the carrier enforces.
 */
export async function assertRateWithinNumber(
  tenantId: string,
  settings: Pick<Settings, 'originationIdentity' | 'mps'>,
  deps: RegistryDeps,
): Promise<void> {
  const picked = await pickedNumber(tenantId, settings, deps);
  if (picked && settings.mps > picked.mps) {
    const message = `mps ${settings.mps} is above the limit of sender number ${picked.number} (${picked.mps} messages a second)`;
    throw new RuleViolationError('SETTINGS.MPS_ABOVE_NUMBER_LIMIT', message, [{ path: 'mps', message }]);
  }
}

/** 422 `CAMPAIGN.NO_SENDER_NUMBER` naming `originationIdentity` when the tenant has no number to send from. */
export async function requireSender(
  tenantId: string,
  settings: Pick<Settings, 'originationIdentity'>,
  deps: RegistryDeps,
): Promise<string> {
  const sender = await senderOf(tenantId, settings, deps);
  if (!sender) {
    const message = 'no sender number is assigned to this tenant yet: an operator assigns one (GET /v1/numbers)';
    throw new RuleViolationError('CAMPAIGN.NO_SENDER_NUMBER', message, [{ path: 'originationIdentity', message }]);
  }
  return sender;
}

/**
 * The operator's decision for an inbound text no tenant could be found for: it is marked for `tenantId` and goes round
 * the inbound queue again, where the processor delivers it there. 404 when no such text is kept.
 */
export async function routeUnroutedInbound(
  inboundMessageId: string,
  tenantId: string,
  deps: RegistryDeps & { queue: Queue },
): Promise<void> {
  const kept = await deps.numbers.getUnrouted(inboundMessageId);
  if (!kept || !(await deps.numbers.routeUnrouted(inboundMessageId, tenantId))) {
    throw new NotFoundError('UnroutedInbound', inboundMessageId);
  }
  // Shaped as the SNS notification the inbound queue gets from the two-way topic.
  await deps.queue.sendMessages('inbound', [
    { body: { Type: 'Notification', Message: JSON.stringify(kept.message), MessageId: inboundMessageId } },
  ]);
}
