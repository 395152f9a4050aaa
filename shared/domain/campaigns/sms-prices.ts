import { parsePhoneNumberFromString } from 'libphonenumber-js';

/**
 * What a segment costs to send, per destination country, as the carrier charges it. One table with its source and
 * date; a tenant may override any country (and must give its own prices when it budgets in another currency).
 */
export const SMS_PRICE_TABLE = {
  currency: 'USD',
  sourceDate: '2026-11-01',
  source:
    'AWS End User Messaging SMS pricing page, outbound SMS per message part to the United States over 10DLC: $0.00581 + the average carrier fee of $0.00302',
  perSegment: { US: 0.00883 } as Record<string, number>,
  /** Countries the table does not list are budgeted at the highest price it has, until the tenant gives theirs. */
} as const;

export interface PriceSettings {
  currency: string;
  /** Per ISO country, and `default` for any other; in `currency`. */
  pricePerSegment: Record<string, number>;
}

const highestListed = () => Math.max(...Object.values(SMS_PRICE_TABLE.perSegment));

/** The destination country of a phone number (E.164), or undefined. */
export function countryOf(phone: string): string | undefined {
  return parsePhoneNumberFromString(phone)?.country;
}

/**
 * The price of one segment to `phone` in the tenant's currency: the tenant's price for the country, else the table's
 * (only when the tenant budgets in the table's currency), else the tenant's `default`, else the table's highest.
 */
export function pricePerSegment(phone: string, settings: PriceSettings): number {
  const country = countryOf(phone) ?? 'default';
  const own = settings.pricePerSegment[country];
  if (own !== undefined) return own;
  const sameCurrency = settings.currency === SMS_PRICE_TABLE.currency;
  const listed = sameCurrency ? SMS_PRICE_TABLE.perSegment[country] : undefined;
  return listed ?? settings.pricePerSegment.default ?? highestListed();
}

/** Money is kept to the hundredth of a cent: sums of small prices without float noise. */
export const roundMoney = (amount: number) => Math.round(amount * 10_000) / 10_000;
