import type { TwoWayMessage } from '../domain/inbound/two-way-message.schema';
import type { AssignNumber, AssignOutcome, SenderNumber } from '../domain/numbers/sender-number';
import type { Page, PageRequest } from './page';

/** An inbound text no tenant could be found for, kept for the operator to re-route. */
export interface UnroutedInbound {
  inboundMessageId: string;
  message: TwoWayMessage;
  receivedAt: string;
  reason: string;
  /** The tenant an operator routed it to; the inbound processor delivers it there when it comes round again. */
  routeTo?: string | undefined;
}

/**
 * The operator's registry of sender numbers. Only the operator's path assigns numbers; tenants' code only reads it,
 * so nothing a tenant can do changes where another tenant's texts go.
 */
export interface NumberRegistry {
  /** The number an E.164, an AWS phone number id or an ARN names, if registered. */
  resolve(identity: string): Promise<SenderNumber | undefined>;
  /** What a tenant may send from: its own numbers and its pools' numbers, by number. */
  numbersOf(tenantId: string): Promise<SenderNumber[]>;
  /** The pools a tenant is a member of. */
  poolsOf(tenantId: string): Promise<string[]>;
  /** The tenants that may send from a number: its owner, or every member of its pool. */
  tenantsOf(number: SenderNumber): Promise<string[]>;
  /** Assigns a number (and its AWS ids) to a tenant or to a pool it joins; `taken` when someone else holds it. */
  assign(input: AssignNumber, at: string): Promise<AssignOutcome>;
  /** Every registered number (the operator's list). */
  listNumbers(page: PageRequest): Promise<Page<SenderNumber>>;
  /** Keeps an inbound text that found no tenant (once per message id). */
  recordUnrouted(record: UnroutedInbound): Promise<void>;
  listUnrouted(page: PageRequest): Promise<Page<UnroutedInbound>>;
  getUnrouted(inboundMessageId: string): Promise<UnroutedInbound | undefined>;
  /** The operator's decision for an unrouted text: deliver it to this tenant. False when no such text is kept. */
  routeUnrouted(inboundMessageId: string, tenantId: string): Promise<boolean>;
  deleteUnrouted(inboundMessageId: string): Promise<void>;
}
