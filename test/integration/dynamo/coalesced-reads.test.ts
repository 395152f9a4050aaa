import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { CoalescedReads } from '../../../shared/adapters/aws/dynamo/coalesced-reads';
import { CapacityMeter, createDocumentClient } from '../../../shared/adapters/aws/dynamo/document-client';
import { startTestDynamo, type TestDynamo } from '../../support/dynalite';

let dynamo: TestDynamo;

beforeAll(async () => {
  dynamo = await startTestDynamo();
});

afterAll(async () => {
  CapacityMeter.active = undefined;
  await dynamo.stop();
});

describe('CoalescedReads', () => {
  it('answers reads asked for in the same turn with one request, each with its own item (or none), duplicates included', async () => {
    // Arrange
    const client = createDocumentClient({ endpoint: dynamo.endpoint });
    const table = dynamo.tableNames.campaigns;
    for (let i = 0; i < 150; i++) {
      await client.send(new PutCommand({ TableName: table, Item: { pk: 'T#t1#X', sk: `K#${i}`, n: i } }));
    }
    const reads = new CoalescedReads(client, table);
    const meter = new CapacityMeter();
    CapacityMeter.active = meter;

    // Act: 150 present keys, one missing, one asked twice, all in one turn
    const keys = [...Array.from({ length: 150 }, (_, i) => `K#${i}`), 'K#missing', 'K#7'];
    const items = await Promise.all(keys.map((sk) => reads.get({ pk: 'T#t1#X', sk })));
    CapacityMeter.active = undefined;

    // Assert: two BatchGetItem requests (100 keys each at most), every caller its own answer
    expect(meter.requests).toBe(2);
    expect(items.slice(0, 150).map((item) => item?.n)).toEqual(Array.from({ length: 150 }, (_, i) => i));
    expect(items[150]).toBeUndefined();
    expect(items[151]?.n).toBe(7);
    client.destroy();
  });

  it('reads consistently after a write, and fails every caller of a failed batch', async () => {
    // Arrange
    const client = createDocumentClient({ endpoint: dynamo.endpoint });
    const reads = new CoalescedReads(client, dynamo.tableNames.campaigns);
    await client.send(
      new PutCommand({ TableName: dynamo.tableNames.campaigns, Item: { pk: 'T#t1#Y', sk: 'A', v: 1 } }),
    );
    await client.send(
      new PutCommand({ TableName: dynamo.tableNames.campaigns, Item: { pk: 'T#t1#Y', sk: 'A', v: 2 } }),
    );
    const broken = new CoalescedReads(client, 'no-such-table');

    // Act
    const latest = await reads.get({ pk: 'T#t1#Y', sk: 'A' });
    const failures = await Promise.allSettled([broken.get({ pk: 'a', sk: 'b' }), broken.get({ pk: 'c', sk: 'd' })]);

    // Assert
    expect(latest?.v).toBe(2);
    expect(failures.map((f) => f.status)).toEqual(['rejected', 'rejected']);
    client.destroy();
  });
});
