import { cleanup, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { ClicksCard, VariantsCard } from './campaign-engagement';

afterEach(cleanup);

const figures = (variant: number, recipients: number, delivered: number, replies: number, clickers: number) => ({
  variant,
  percent: 50,
  recipients,
  delivered,
  replies,
  responseRate: delivered ? replies / delivered : null,
  clicks: clickers,
  uniqueClickers: clickers,
  clickThroughRate: delivered ? clickers / delivered : null,
});

describe('the campaign results engagement cards', () => {
  it('shows clicks in all and per link', () => {
    // Act
    render(
      <ClicksCard
        results={{
          clicks: 7,
          uniqueClickers: 5,
          clickThroughRate: 0.25,
          links: [
            { index: 0, url: 'https://acme.example.com/l/42', clicks: 7, uniqueClickers: 5, clickThroughRate: 0.25 },
          ],
        }}
      />,
    );

    // Assert
    expect(screen.getByText('25% click-through')).toBeTruthy();
    const row = screen.getByRole('row', { name: /acme\.example\.com/ });
    expect(
      within(row)
        .getAllByRole('cell')
        .map((cell) => cell.textContent),
    ).toEqual(['7', '5', '25%']);
  });

  it('shows a test-then-winner campaign’s phase, its test per variant, the winner and why', () => {
    // Act
    render(
      <VariantsCard
        results={{
          variants: [figures(0, 60, 60, 1, 0), figures(1, 10, 10, 2, 0)],
          variantSignificance: {
            responseRate: { note: 'not enough data (at least 100 delivered per variant)' },
            clickThroughRate: { note: 'not enough data (at least 100 delivered per variant)' },
          },
          abTest: {
            mode: 'testThenWinner',
            testPercent: 20,
            waitMinutes: 60,
            winnerMetric: 'responseRate',
            phase: 'done',
            testLaunchedAt: '2026-03-04T19:00:00.000Z',
            testEndsAt: '2026-03-04T20:00:00.000Z',
            testVariants: [figures(0, 10, 10, 1, 0), figures(1, 10, 10, 2, 0)],
            testSignificance: { note: 'not enough data (at least 100 delivered per variant)' },
            winner: {
              variant: 1,
              metric: 'responseRate',
              rate: 0.2,
              basis: 'highestRate',
              reason: 'variant 2 had the highest response rate in the test (20.0% of 10 delivered)',
              pickedAt: '2026-03-04T20:00:00.000Z',
            },
            winnerRule: 'The variant with the highest rate wins.',
          },
        }}
        timeZone="America/New_York"
      />,
    );

    // Assert
    expect(screen.getByText(/^Done/)).toBeTruthy();
    expect(screen.getByText(/Winner: variant 2 had the highest response rate/)).toBeTruthy();
    const test = screen.getByRole('region', { name: 'Test figures per variant' });
    expect(within(test).getByRole('row', { name: /Variant 2 \(winner\)/ })).toBeTruthy();
    const everyone = screen.getByRole('region', { name: 'Figures per variant' });
    expect(within(everyone).getAllByRole('row')).toHaveLength(3);
  });
});
