import { createDocumentClient } from '../../../shared/adapters/aws/dynamo/document-client';
import { DynamoNumberRegistry } from '../../../shared/adapters/aws/dynamo/dynamo-number-registry';
import { assertTenantNumber, assignNumber, senderOf } from '../../../shared/app/numbers/sender-numbers.use-case';
import { assignNumberSchema } from '../../../shared/domain/numbers/sender-number';
import { startTestDynamo, type TestDynamo } from '../../support/dynalite';
import { ManualClock } from '../../support/manual-clock';

let dynamo: TestDynamo;
let numbers: DynamoNumberRegistry;
const clock = new ManualClock('2026-03-04T19:00:00.000Z');
let deps: { numbers: DynamoNumberRegistry; clock: ManualClock };

beforeAll(async () => {
  dynamo = await startTestDynamo();
  numbers = new DynamoNumberRegistry(createDocumentClient({ endpoint: dynamo.endpoint }), dynamo.tableNames.numbers);
  deps = { numbers, clock };
});

afterAll(async () => dynamo.stop());

const assign = (input: Record<string, unknown>) => assignNumber(assignNumberSchema.parse(input), deps);

describe('the number registry on DynamoDB', () => {
  it('resolves a number by its E.164 form, its AWS id and its ARN, all to one canonical number', async () => {
    const arn = 'arn:aws:sms-voice:us-east-1:123456789012:phone-number/phone-0123abcd';
    await assign({ tenantId: 'reg-a', number: '(206) 555-0170', phoneNumberId: 'phone-0123abcd', arn, mps: 20 });
    for (const name of ['+12065550170', 'phone-0123abcd', arn]) {
      expect(await numbers.resolve(name)).toMatchObject({
        number: '+12065550170',
        mps: 20,
        owner: { kind: 'tenant', tenantId: 'reg-a' },
      });
    }
    expect(await assertTenantNumber('reg-a', arn, deps)).toBe('+12065550170');
    await expect(assertTenantNumber('reg-b', '+12065550170', deps)).rejects.toMatchObject({
      code: 'SETTINGS.NUMBER_NOT_ASSIGNED',
    });
  });

  it('one owner per number: two tenants assigning one number at once, exactly one wins; an id of another number is taken', async () => {
    const results = await Promise.allSettled([
      assign({ tenantId: 'race-a', number: '+12065550171' }),
      assign({ tenantId: 'race-b', number: '+12065550171' }),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(results.filter((r) => r.status === 'rejected')[0]).toMatchObject({ reason: { code: 'NUMBER.TAKEN' } });
    await assign({ tenantId: 'race-c', number: '+12065550172', phoneNumberId: 'phone-77' });
    await expect(
      assign({ tenantId: 'race-d', number: '+12065550173', phoneNumberId: 'phone-77' }),
    ).rejects.toMatchObject({
      code: 'NUMBER.TAKEN',
    });
    expect(await numbers.resolve('+12065550173')).toBeUndefined();
  });

  it('a pool is shared by its members; joining it keeps the number’s rate; another owner cannot take it', async () => {
    await assign({ tenantId: 'pool-a', number: '+12065550180', pool: 'downtown', mps: 40 });
    await assign({ tenantId: 'pool-b', number: '+12065550180', pool: 'downtown' });
    const number = await numbers.resolve('+12065550180');
    expect(number).toMatchObject({ owner: { kind: 'pool', pool: 'downtown' }, mps: 40 });
    expect(await numbers.tenantsOf(number as NonNullable<typeof number>)).toEqual(['pool-a', 'pool-b']);
    expect((await numbers.numbersOf('pool-b')).map((n) => n.number)).toEqual(['+12065550180']);
    await expect(assign({ tenantId: 'pool-c', number: '+12065550180' })).rejects.toMatchObject({
      code: 'NUMBER.TAKEN',
    });
  });

  it('a tenant sends from the number its settings pick only while it holds it, else from its first', async () => {
    await assign({ tenantId: 'pick', number: '+12065550190' });
    await assign({ tenantId: 'pick', number: '+12065550191' });
    expect(await senderOf('pick', { originationIdentity: '+12065550191' }, deps)).toBe('+12065550191');
    expect(await senderOf('pick', { originationIdentity: '+12065550170' }, deps)).toBe('+12065550190');
    expect(await senderOf('nobody', { originationIdentity: null }, deps)).toBeUndefined();
  });

  it('lists every number page by page, whatever items the scan stops on', async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await numbers.listNumbers({ limit: 2, cursor });
      seen.push(...page.items.map((n) => n.number));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(new Set(seen)).toEqual(
      new Set(['+12065550170', '+12065550171', '+12065550172', '+12065550180', '+12065550190', '+12065550191']),
    );
  });
});
