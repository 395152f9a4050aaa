import { parseArgs } from 'node:util';
import { createDocumentClient } from '../shared/adapters/aws/dynamo/document-client';
import { DynamoNumberRegistry } from '../shared/adapters/aws/dynamo/dynamo-number-registry';
import { assignNumber, routeUnroutedInbound } from '../shared/app/numbers/sender-numbers.use-case';
import { createInboundQueue } from '../shared/config/aws-messaging.factory';
import { assignNumberSchema } from '../shared/domain/numbers/sender-number';
import { systemClock } from '../shared/ports/clock.port';

const USAGE = `Sender numbers, for operators (uses your AWS credentials and region):
  npm run numbers -- assign --table <stage>-sms-numbers --tenant acme --number +18885550100 [--mps 20] [--pool name]
                             [--phone-number-id phone-abc] [--arn arn:aws:sms-voice:...:phone-number/phone-abc]
  npm run numbers -- list --table <stage>-sms-numbers
  npm run numbers -- unrouted --table <stage>-sms-numbers
  npm run numbers -- route <inboundMessageId> --tenant acme --table <stage>-sms-numbers --inbound-queue-url <url>
--table defaults to $NUMBERS_TABLE_NAME, --inbound-queue-url to $INBOUND_QUEUE_URL.`;

async function main() {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      table: { type: 'string' },
      tenant: { type: 'string' },
      number: { type: 'string' },
      mps: { type: 'string' },
      pool: { type: 'string' },
      'phone-number-id': { type: 'string' },
      arn: { type: 'string' },
      'inbound-queue-url': { type: 'string' },
      endpoint: { type: 'string' },
      help: { type: 'boolean' },
    },
  });
  const [command, id] = positionals;
  const table = values.table ?? process.env.NUMBERS_TABLE_NAME;
  if (values.help || !command || !table) {
    console.log(USAGE);
    process.exit(values.help ? 0 : 2);
  }
  const numbers = new DynamoNumberRegistry(createDocumentClient({ endpoint: values.endpoint }), table);
  switch (command) {
    case 'assign': {
      const input = assignNumberSchema.parse({
        tenantId: values.tenant,
        number: values.number,
        ...(values.mps ? { mps: Number(values.mps) } : {}),
        ...(values.pool ? { pool: values.pool } : {}),
        ...(values['phone-number-id'] ? { phoneNumberId: values['phone-number-id'] } : {}),
        ...(values.arn ? { arn: values.arn } : {}),
      });
      console.log(JSON.stringify(await assignNumber(input, { numbers, clock: systemClock }), null, 2));
      return;
    }
    case 'list':
      console.log(JSON.stringify((await numbers.listNumbers({ limit: 500 })).items, null, 2));
      return;
    case 'unrouted':
      console.log(JSON.stringify((await numbers.listUnrouted({ limit: 500 })).items, null, 2));
      return;
    case 'route': {
      const queue = createInboundQueue(
        { INBOUND_QUEUE_URL: values['inbound-queue-url'] ?? process.env.INBOUND_QUEUE_URL },
        undefined,
      );
      if (!id || !values.tenant || !queue)
        throw new Error('route needs an inboundMessageId, --tenant and --inbound-queue-url');
      await routeUnroutedInbound(id, values.tenant, { numbers, queue });
      console.log(`routing ${id} to ${values.tenant}`);
      return;
    }
    default:
      console.log(USAGE);
      process.exit(2);
  }
}

main().catch((error: unknown) => {
  console.error((error as Error).message);
  process.exit(1);
});
