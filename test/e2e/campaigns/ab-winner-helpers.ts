import { abGroupOf } from '../../../shared/domain/campaigns/ab-test';
import { assignVariant } from '../../../shared/domain/campaigns/variants';
import type { HttpClient } from '../../support/http-client';
import { contactIdsByPhone, importAll, resultsOf } from './campaign-e2e-helpers';

export interface AbTestResults {
  status: string;
  delivered: number;
  abTest: {
    phase: string;
    testEndsAt: string | null;
    testVariants: { variant: number; recipients: number; delivered: number; replies: number }[];
    winner: { variant: number; basis: string; reason: string; metric: string } | null;
    winnerRule: string;
  };
  variants: { variant: number; recipients: number }[];
}

export const TWO_VARIANTS = [
  { body: 'Spring sale: 20% off this week. Reply YES for the code', percent: 50 },
  { body: 'Want 20% off? Reply YES and the code is yours', percent: 50 },
];

export const abTestOf = (testPercent: number, waitMinutes = 60) => ({
  mode: 'testThenWinner',
  testPercent,
  waitMinutes,
  winnerMetric: 'responseRate',
});

export async function abResultsOf(api: HttpClient, campaignId: string): Promise<AbTestResults> {
  return (await resultsOf(api, campaignId)) as unknown as AbTestResults;
}

/** What each phone should get: its test variant in the test share, `winner` in the remainder (null: not yet known). */
export function expectedVariants(
  campaignId: string,
  ids: Map<string, string>,
  phones: string[],
  testPercent: number,
  winner: number | null,
) {
  const percents = TWO_VARIANTS.map((variant) => variant.percent);
  return new Map(
    phones.map((phone) => {
      const contactId = ids.get(phone) as string;
      const test = abGroupOf(campaignId, contactId, testPercent) === 'test';
      return [phone, { test, variant: test ? assignVariant(campaignId, contactId, percents) : winner }] as const;
    }),
  );
}

/** Imports the phones, opted in and tagged `tag`; returns each phone's contact id. */
export async function importTagged(api: HttpClient, phones: string[], tag: string): Promise<Map<string, string>> {
  await importAll(
    api,
    phones.map((phone) => ({ phone, tags: [tag], smsConsent: 'opted_in' })),
  );
  return contactIdsByPhone(api);
}
