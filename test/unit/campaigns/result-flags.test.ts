import { campaignFlags, FLAG_RULE, FLAG_RULES } from '../../../shared/domain/campaigns/result-flags';

const LAUNCH = '2026-03-04T19:00:00.000Z';
const at = (hours: number) => new Date(Date.parse(LAUNCH) + hours * 3_600_000);
const codes = (input: Parameters<typeof campaignFlags>[0]) => campaignFlags(input).map((f) => f.code);

describe('campaign result flags', () => {
  it('raise nothing on a handful of messages, however bad their rates', () => {
    expect(codes({ delivered: 1, failed: 5, replies: 0, optOuts: 1, launchedAt: LAUNCH, now: at(48) })).toEqual([]);
  });

  it('judge delivery once enough messages have a final outcome', () => {
    const base = { replies: 10, optOuts: 0, launchedAt: LAUNCH, now: at(1) };
    expect(codes({ ...base, delivered: 17, failed: 2 })).toEqual([]);
    expect(codes({ ...base, delivered: 17, failed: 3 })).toEqual(['LOW_DELIVERY']);
  });

  it('judge responses only after the window to answer, seconds after the first delivery never', () => {
    const base = { delivered: 100, failed: 0, replies: 1, optOuts: 0, launchedAt: LAUNCH };
    expect(codes({ ...base, now: at(0.001) })).toEqual([]);
    expect(codes({ ...base, now: at(FLAG_RULES.responseWindowHours - 0.01) })).toEqual([]);
    expect(codes({ ...base, now: at(FLAG_RULES.responseWindowHours) })).toEqual(['LOW_RESPONSE']);
    expect(codes({ ...base, replies: 2, now: at(48) })).toEqual([]);
    expect(codes({ ...base, launchedAt: null, now: at(48) })).toEqual([]);
  });

  it('judge opt-outs on the delivered sample', () => {
    const base = { failed: 0, replies: 5, launchedAt: LAUNCH, now: at(1) };
    expect(codes({ ...base, delivered: 19, optOuts: 5 })).toEqual([]);
    expect(codes({ ...base, delivered: 100, optOuts: 1 })).toEqual([]);
    expect(codes({ ...base, delivered: 100, optOuts: 2 })).toEqual(['HIGH_OPT_OUT']);
  });

  it('state their rule in words that name the thresholds', () => {
    expect(FLAG_RULE).toContain(String(FLAG_RULES.minFinalOutcomes));
    expect(FLAG_RULE).toContain(`${FLAG_RULES.responseWindowHours} hours`);
  });
});
