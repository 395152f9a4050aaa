import type { CampaignDeps } from './campaign-deps';

/** How long a launcher holds a campaign's launch before another may take over (it renews per page). */
export const LEASE_MS = 120_000;

/** One launcher at a time per campaign: the lease it takes, renews after each page and gives back. */
export class LaunchLease {
  constructor(
    private readonly deps: Pick<CampaignDeps, 'campaigns' | 'clock'>,
    private readonly tenantId: string,
    private readonly campaignId: string,
    private readonly owner: string,
  ) {}

  /** Takes or renews the lease; false when another launcher holds it. */
  async take(): Promise<boolean> {
    const now = this.deps.clock.now().getTime();
    return this.deps.campaigns.acquireLaunchLease(
      this.tenantId,
      this.campaignId,
      this.owner,
      new Date(now + LEASE_MS).toISOString(),
      new Date(now).toISOString(),
    );
  }

  /** Gives it back (done, or handing over), so a continuation or a kick is not turned away for the rest of it. */
  async release(): Promise<void> {
    const now = this.deps.clock.now().getTime();
    await this.deps.campaigns.acquireLaunchLease(
      this.tenantId,
      this.campaignId,
      this.owner,
      new Date(now - 1).toISOString(),
      new Date(now).toISOString(),
    );
  }
}
