import {
  ConflictException,
  CreateScheduleCommand,
  DeleteScheduleCommand,
  ResourceNotFoundException,
  SchedulerClient,
  ThrottlingException,
  UpdateScheduleCommand,
  ValidationException,
} from '@aws-sdk/client-scheduler';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import {
  defaultScheduleRetryPolicy,
  EventBridgeScheduler,
  InvalidScheduleError,
} from '../../../shared/adapters/aws/eventbridge-scheduler';
import { toScheduleName } from '../../../shared/adapters/aws/schedule-name';
import type { OneTimeSchedule } from '../../../shared/ports/scheduler.port';

const account = 'arn:aws:sqs:us-east-1:123456789012';
const targets = {
  launcher: {
    arn: `${account}:dev-sms-launch`,
    roleArn: 'arn:aws:iam::123456789012:role/dev-sms-scheduler',
    deadLetterArn: `${account}:dev-sms-schedules-dlq`,
  },
  workflows: {
    arn: `${account}:dev-sms-workflows`,
    roleArn: 'arn:aws:iam::123456789012:role/dev-sms-scheduler',
    deadLetterArn: `${account}:dev-sms-schedules-dlq`,
  },
};

const schedulerMock = mockClient(SchedulerClient);

const makeScheduler = () =>
  new EventBridgeScheduler({
    client: new SchedulerClient({ region: 'us-east-1' }),
    groupName: 'dev-sms-schedules',
    targets,
    retryPolicy: { maximumRetryAttempts: 10, maximumEventAgeInSeconds: 3600 },
  });

const campaignLaunch: OneTimeSchedule = {
  name: 'campaign-01JABCDEF',
  at: '2026-03-08T10:00:00',
  timeZone: 'America/New_York',
  target: 'launcher',
  payload: { tenantId: 't-1', campaignId: '01JABCDEF' },
};

/** The exact input both CreateSchedule and UpdateSchedule must carry for `campaignLaunch`. */
const expectedInput = {
  Name: 'campaign-01JABCDEF',
  GroupName: 'dev-sms-schedules',
  ScheduleExpression: 'at(2026-03-08T10:00:00)',
  ScheduleExpressionTimezone: 'America/New_York',
  FlexibleTimeWindow: { Mode: 'OFF' },
  ActionAfterCompletion: 'DELETE',
  Target: {
    Arn: targets.launcher.arn,
    RoleArn: targets.launcher.roleArn,
    Input: '{"tenantId":"t-1","campaignId":"01JABCDEF"}',
    RetryPolicy: { MaximumRetryAttempts: 10, MaximumEventAgeInSeconds: 3600 },
    DeadLetterConfig: { Arn: targets.launcher.deadLetterArn },
  },
};

const conflict = () =>
  new ConflictException({
    $metadata: { httpStatusCode: 409 },
    message: 'Schedule already exists.',
    Message: 'Schedule already exists.',
  });
const notFound = () =>
  new ResourceNotFoundException({
    $metadata: { httpStatusCode: 404 },
    message: 'Schedule does not exist.',
    Message: 'Schedule does not exist.',
  });

describe('EventBridgeScheduler', () => {
  beforeEach(() => {
    schedulerMock.reset();
  });

  describe('createSchedule', () => {
    it('creates a one-time schedule in the time zone, deleted after completion, with retries and a DLQ', async () => {
      // Arrange
      schedulerMock.on(CreateScheduleCommand).resolves({ ScheduleArn: 'arn:schedule' });

      // Act
      await makeScheduler().createSchedule(campaignLaunch);

      // Assert
      const calls = schedulerMock.commandCalls(CreateScheduleCommand);
      expect(calls.map((call) => call.args[0].input)).toEqual([expectedInput]);
      expect(schedulerMock).toHaveReceivedCommandTimes(UpdateScheduleCommand, 0);
    });

    it('delivers each target to its own ARN', async () => {
      // Arrange
      schedulerMock.on(CreateScheduleCommand).resolves({ ScheduleArn: 'arn:schedule' });

      // Act
      await makeScheduler().createSchedule({ ...campaignLaunch, name: 'enrollment-1', target: 'workflows' });

      // Assert
      expect(schedulerMock).toHaveReceivedCommandWith(CreateScheduleCommand, {
        Name: 'enrollment-1',
        Target: expect.objectContaining({
          Arn: targets.workflows.arn,
          DeadLetterConfig: { Arn: targets.workflows.deadLetterArn },
        }),
      });
    });

    it("uses EventBridge Scheduler's own retry maximums when none is configured", async () => {
      // Arrange
      schedulerMock.on(CreateScheduleCommand).resolves({ ScheduleArn: 'arn:schedule' });
      const scheduler = new EventBridgeScheduler({
        client: new SchedulerClient({ region: 'us-east-1' }),
        groupName: 'g',
        targets,
      });

      // Act
      await scheduler.createSchedule(campaignLaunch);

      // Assert
      expect(schedulerMock.commandCalls(CreateScheduleCommand)[0]!.args[0].input.Target!.RetryPolicy).toEqual({
        MaximumRetryAttempts: defaultScheduleRetryPolicy.maximumRetryAttempts,
        MaximumEventAgeInSeconds: defaultScheduleRetryPolicy.maximumEventAgeInSeconds,
      });
      expect(defaultScheduleRetryPolicy).toEqual({ maximumRetryAttempts: 185, maximumEventAgeInSeconds: 86_400 });
    });

    it('replaces an existing schedule of the same name: ConflictException, then UpdateSchedule with the same input', async () => {
      // Arrange
      schedulerMock.on(CreateScheduleCommand).rejects(conflict());
      schedulerMock.on(UpdateScheduleCommand).resolves({ ScheduleArn: 'arn:schedule' });

      // Act
      await makeScheduler().createSchedule(campaignLaunch);

      // Assert
      expect(schedulerMock.commandCalls(CreateScheduleCommand).map((call) => call.args[0].input)).toEqual([
        expectedInput,
      ]);
      expect(schedulerMock.commandCalls(UpdateScheduleCommand).map((call) => call.args[0].input)).toEqual([
        expectedInput,
      ]);
    });

    it('creates again when the schedule fired and vanished between the conflict and the update', async () => {
      // Arrange
      schedulerMock.on(CreateScheduleCommand).rejectsOnce(conflict()).resolves({ ScheduleArn: 'arn:schedule' });
      schedulerMock.on(UpdateScheduleCommand).rejects(notFound());

      // Act
      await makeScheduler().createSchedule(campaignLaunch);

      // Assert
      expect(schedulerMock).toHaveReceivedCommandTimes(CreateScheduleCommand, 2);
      expect(schedulerMock).toHaveReceivedCommandTimes(UpdateScheduleCommand, 1);
    });

    it('gives up after three rounds of create/update races', async () => {
      schedulerMock.on(CreateScheduleCommand).rejects(conflict());
      schedulerMock.on(UpdateScheduleCommand).rejects(notFound());
      await expect(makeScheduler().createSchedule(campaignLaunch)).rejects.toThrow(/gave up after 3 rounds/);
      expect(schedulerMock).toHaveReceivedCommandTimes(CreateScheduleCommand, 3);
    });

    it.each([
      [
        'ValidationException on create',
        'create',
        new ValidationException({ $metadata: {}, message: 'bad time zone', Message: 'bad time zone' }),
      ],
      [
        'ThrottlingException on create',
        'create',
        new ThrottlingException({ $metadata: {}, message: 'slow down', Message: 'slow down' }),
      ],
      [
        'ValidationException on update',
        'update',
        new ValidationException({ $metadata: {}, message: 'bad', Message: 'bad' }),
      ],
    ])('lets any other error through: %s', async (_, where, error) => {
      // Arrange
      if (where === 'create') schedulerMock.on(CreateScheduleCommand).rejects(error);
      else {
        schedulerMock.on(CreateScheduleCommand).rejects(conflict());
        schedulerMock.on(UpdateScheduleCommand).rejects(error);
      }

      // Act / Assert
      await expect(makeScheduler().createSchedule(campaignLaunch)).rejects.toBe(error);
    });

    it.each([
      ['an offset', { at: '2026-03-08T10:00:00Z' }],
      ['milliseconds', { at: '2026-03-08T10:00:00.000' }],
      ['no seconds', { at: '2026-03-08T10:00' }],
      ['month 13', { at: '2026-13-08T10:00:00' }],
      ['hour 24', { at: '2026-03-08T24:00:00' }],
      ['an empty time zone', { timeZone: ' ' }],
      ['an unknown target', { target: 'nowhere' as never }],
    ])('refuses a schedule with %s before calling AWS', async (_, change) => {
      await expect(makeScheduler().createSchedule({ ...campaignLaunch, ...change })).rejects.toThrow(
        InvalidScheduleError,
      );
      expect(schedulerMock.calls()).toHaveLength(0);
    });

    it('names the schedule with the safe name derived from the application name', async () => {
      // Arrange
      schedulerMock.on(CreateScheduleCommand).resolves({ ScheduleArn: 'arn:schedule' });
      const name = 'T#tenant-a#CAMPAIGN#01JABCDEFGHJKMNPQRSTVWXYZ0#launch-at-2026-03-08T10:00:00';

      // Act
      await makeScheduler().createSchedule({ ...campaignLaunch, name });

      // Assert
      expect(schedulerMock).toHaveReceivedCommandWith(CreateScheduleCommand, { Name: toScheduleName(name) });
    });
  });

  describe('deleteSchedule', () => {
    it('deletes the schedule of the group by its safe name', async () => {
      // Arrange
      schedulerMock.on(DeleteScheduleCommand).resolves({});

      // Act
      await makeScheduler().deleteSchedule('campaign:01J');

      // Assert
      expect(schedulerMock.commandCalls(DeleteScheduleCommand).map((call) => call.args[0].input)).toEqual([
        { Name: toScheduleName('campaign:01J'), GroupName: 'dev-sms-schedules' },
      ]);
    });

    it('ignores a schedule that does not exist (already fired, or never made)', async () => {
      schedulerMock.on(DeleteScheduleCommand).rejects(notFound());
      await expect(makeScheduler().deleteSchedule('campaign-01J')).resolves.toBeUndefined();
    });

    it('lets any other error through', async () => {
      const error = new ThrottlingException({ $metadata: {}, message: 'slow down', Message: 'slow down' });
      schedulerMock.on(DeleteScheduleCommand).rejects(error);
      await expect(makeScheduler().deleteSchedule('campaign-01J')).rejects.toBe(error);
    });
  });
});

describe('toScheduleName', () => {
  const allowed = /^[0-9A-Za-z_.-]{1,64}$/;

  it('keeps a name that EventBridge already accepts', () => {
    expect(toScheduleName('campaign-01JABCDEF')).toBe('campaign-01JABCDEF');
    expect(toScheduleName('a.b_c-D')).toBe('a.b_c-D');
    expect(toScheduleName('x'.repeat(64))).toBe('x'.repeat(64));
  });

  it('replaces forbidden characters and adds a hash of the original', () => {
    const name = toScheduleName('T#tenant-a#C#42');
    expect(name).toMatch(/^T_tenant-a_C_42-[0-9a-f]{16}$/);
    expect(name).toMatch(allowed);
  });

  it('shortens a long name to 64 characters, keeping its readable start', () => {
    const long = `enrollment-${'x'.repeat(100)}`;
    const name = toScheduleName(long);
    expect(name).toHaveLength(64);
    expect(name).toMatch(allowed);
    expect(name.startsWith('enrollment-xxx')).toBe(true);
  });

  it('is deterministic and keeps different names apart, even when they sanitise alike', () => {
    expect(toScheduleName('a#b')).toBe(toScheduleName('a#b'));
    expect(toScheduleName('a#b')).not.toBe(toScheduleName('a:b'));
    expect(toScheduleName('a#b')).not.toBe('a_b');
    expect(toScheduleName(`${'y'.repeat(64)}1`)).not.toBe(toScheduleName(`${'y'.repeat(64)}2`));
  });

  it('handles characters outside ASCII', () => {
    expect(toScheduleName('rappel-été-☀')).toMatch(allowed);
  });

  it('refuses an empty name', () => {
    expect(() => toScheduleName('')).toThrow(RangeError);
  });
});
