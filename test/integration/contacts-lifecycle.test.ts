import { deleteContact, getContact, listConsentHistory } from '../../shared/app/contacts/contact-queries.use-case';
import { addContactTags, removeContactTag } from '../../shared/app/contacts/contact-tags.use-case';
import { createContact } from '../../shared/app/contacts/create-contact.use-case';
import { importContacts } from '../../shared/app/contacts/import-contacts.use-case';
import { updateContact } from '../../shared/app/contacts/update-contact.use-case';
import { ConflictError, NotFoundError, ValidationError } from '../../shared/domain/errors';
import { type ContactsHarness, listAllContacts, startContactsHarness } from './helpers/contacts-harness';

describe('contact lifecycle against DynamoDB', () => {
  let harness: ContactsHarness;

  beforeAll(async () => {
    harness = await startContactsHarness();
  });

  afterAll(async () => harness.stop());

  async function tagMembers(tenant: string, tag: string): Promise<string[]> {
    return (await listAllContacts(tenant, harness.deps, { tag, limit: 7 })).contacts.map((c) => c.id).sort();
  }

  describe('tag index', () => {
    it('lists a contact under a tag exactly while it carries the tag', async () => {
      // Arrange
      const tenant = harness.newTenant('tags');
      const contact = await createContact(tenant, { phone: '+12127365000', tags: ['lead'] }, harness.deps);

      // Act
      const afterCreate = await tagMembers(tenant, 'lead');
      await addContactTags(tenant, contact.id, ['vip'], harness.deps);
      const afterAdd = await tagMembers(tenant, 'vip');
      await removeContactTag(tenant, contact.id, 'lead', harness.deps);
      const afterRemove = await tagMembers(tenant, 'lead');

      // Assert
      expect(afterCreate).toEqual([contact.id]);
      expect(afterAdd).toEqual([contact.id]);
      expect(afterRemove).toEqual([]);
    });

    it('stays exact under many concurrent adds and removes of the same tags on one contact', async () => {
      // Arrange
      const tenant = harness.newTenant('tag-race');
      const contact = await createContact(tenant, { phone: '+13122345678', tags: ['hot'] }, harness.deps);
      const tags = ['hot', 'cold', 'vip'];
      const calls = Array.from({ length: 36 }, (_, i) => {
        const tag = tags[i % tags.length] as string;
        return i % 2 === 0
          ? () => addContactTags(tenant, contact.id, [tag], harness.deps)
          : () => removeContactTag(tenant, contact.id, tag, harness.deps);
      });

      // Act
      const outcomes = await Promise.allSettled(calls.map((call) => call()));

      // Assert
      for (const outcome of outcomes) {
        if (outcome.status === 'rejected') {
          expect(outcome.reason).toBeInstanceOf(ConflictError);
          expect(outcome.reason).toMatchObject({ code: 'CONCURRENT_MODIFICATION' });
        }
      }
      expect(outcomes.filter((o) => o.status === 'fulfilled').length).toBeGreaterThan(0);
      const final = await getContact(tenant, contact.id, harness.deps);
      for (const tag of tags) {
        expect({ tag, members: await tagMembers(tenant, tag) }).toEqual({
          tag,
          members: final.tags.includes(tag) ? [contact.id] : [],
        });
      }
    });

    it('drops a deleted contact from every tag list', async () => {
      // Arrange
      const tenant = harness.newTenant('tag-delete');
      const keep = await createContact(tenant, { phone: '+12127365000', tags: ['vip'] }, harness.deps);
      const gone = await createContact(tenant, { phone: '+13122345678', tags: ['vip', 'lead'] }, harness.deps);

      // Act
      await deleteContact(tenant, gone.id, harness.deps);

      // Assert
      expect(await tagMembers(tenant, 'vip')).toEqual([keep.id]);
      expect(await tagMembers(tenant, 'lead')).toEqual([]);
    });
  });

  describe('consent history', () => {
    it('records every change with its source and time, oldest first', async () => {
      // Arrange
      const tenant = harness.newTenant('consent');
      const createdAt = harness.clock.now().toISOString();
      const contact = await createContact(tenant, { phone: '+12127365000' }, harness.deps);
      const importedAt = harness.clock.advance(60_000);
      await importContacts(tenant, [{ phone: '+12127365000', smsConsent: 'opted_in' }], harness.deps);
      const optedOutAt = harness.clock.advance(60_000);
      await updateContact(tenant, contact.id, { smsConsent: 'opted_out' }, harness.deps);
      harness.clock.advance(60_000);
      await updateContact(tenant, contact.id, { firstName: 'No consent change' }, harness.deps);
      const optedInAt = harness.clock.advance(60_000);
      await updateContact(tenant, contact.id, { smsConsent: 'opted_in' }, harness.deps);

      // Act
      const history = await listConsentHistory(tenant, contact.id, { limit: 50 }, harness.deps);

      // Assert
      expect(history.items).toEqual([
        { status: 'unknown', source: 'api', at: createdAt },
        { status: 'opted_in', source: 'import', at: importedAt },
        { status: 'opted_out', source: 'api', at: optedOutAt },
        { status: 'opted_in', source: 'api', at: optedInAt },
      ]);
      expect((await getContact(tenant, contact.id, harness.deps)).smsConsent).toEqual({
        status: 'opted_in',
        source: 'api',
        at: optedInAt,
      });
    });

    it('pages the history with a cursor', async () => {
      // Arrange
      const tenant = harness.newTenant('consent-pages');
      const contact = await createContact(tenant, { phone: '+12127365000' }, harness.deps);
      for (let i = 0; i < 4; i++) {
        harness.clock.advance(1_000);
        await updateContact(tenant, contact.id, { smsConsent: i % 2 === 0 ? 'opted_out' : 'opted_in' }, harness.deps);
      }

      // Act
      const first = await listConsentHistory(tenant, contact.id, { limit: 3 }, harness.deps);
      const second = await listConsentHistory(
        tenant,
        contact.id,
        { limit: 3, cursor: first.nextCursor ?? undefined },
        harness.deps,
      );

      // Assert
      expect(first.items).toHaveLength(3);
      expect(second.items).toHaveLength(2);
      expect(second.nextCursor).toBeNull();
      expect([...first.items, ...second.items].map((e) => e.status)).toEqual([
        'unknown',
        'opted_out',
        'opted_in',
        'opted_out',
        'opted_in',
      ]);
    });
    it("refuses one contact's history cursor on another contact's history with a 400", async () => {
      // Arrange
      const tenant = harness.newTenant('consent-cursor');
      const first = await createContact(tenant, { phone: '+12127365000' }, harness.deps);
      const second = await createContact(tenant, { phone: '+13122345678' }, harness.deps);
      await updateContact(tenant, first.id, { smsConsent: 'opted_in' }, harness.deps);
      const page = await listConsentHistory(tenant, first.id, { limit: 1 }, harness.deps);

      // Act
      const attempt = listConsentHistory(tenant, second.id, { limit: 1, cursor: page.nextCursor ?? '' }, harness.deps);

      // Assert
      expect(page.nextCursor).toEqual(expect.any(String));
      await expect(attempt).rejects.toBeInstanceOf(ValidationError);
    });
  });

  describe('deleting', () => {
    it("keeps the number's opt-out, so a new contact or an import of it starts opted out", async () => {
      // Arrange
      const tenant = harness.newTenant('suppress');
      const original = await createContact(tenant, { phone: '+12127365000', smsConsent: 'opted_in' }, harness.deps);
      await updateContact(tenant, original.id, { smsConsent: 'opted_out' }, harness.deps);
      await deleteContact(tenant, original.id, harness.deps);

      // Act
      const recreated = await createContact(tenant, { phone: '(212) 736-5000', smsConsent: 'opted_in' }, harness.deps);
      await deleteContact(tenant, recreated.id, harness.deps);
      const imported = await importContacts(tenant, [{ phone: '212 736 5000', smsConsent: 'opted_in' }], harness.deps);

      // Assert
      expect(recreated.smsConsent).toMatchObject({ status: 'opted_out', source: 'suppression_list' });
      expect(imported).toEqual({ created: 1, updated: 0, rejected: [] });
      const { contacts } = await listAllContacts(tenant, harness.deps);
      expect(contacts).toHaveLength(1);
      expect(contacts[0]?.smsConsent).toMatchObject({ status: 'opted_out', source: 'suppression_list' });
      const history = await listConsentHistory(tenant, contacts[0]?.id as string, { limit: 10 }, harness.deps);
      expect(history.items).toEqual([expect.objectContaining({ status: 'opted_out', source: 'suppression_list' })]);
    });

    it('frees the number of a contact that never opted out', async () => {
      // Arrange
      const tenant = harness.newTenant('delete-free');
      const original = await createContact(tenant, { phone: '+12127365000', smsConsent: 'opted_in' }, harness.deps);
      await deleteContact(tenant, original.id, harness.deps);

      // Act
      const recreated = await createContact(tenant, { phone: '+12127365000', smsConsent: 'opted_in' }, harness.deps);

      // Assert
      expect(recreated.id).not.toBe(original.id);
      expect(recreated.smsConsent.status).toBe('opted_in');
      await expect(getContact(tenant, original.id, harness.deps)).rejects.toBeInstanceOf(NotFoundError);
      await expect(listConsentHistory(tenant, original.id, { limit: 10 }, harness.deps)).rejects.toBeInstanceOf(
        NotFoundError,
      );
    });
  });

  describe('changing the phone', () => {
    it('frees the old number for a new contact and keeps the new one unique', async () => {
      // Arrange
      const tenant = harness.newTenant('move');
      const mover = await createContact(tenant, { phone: '+12127365000' }, harness.deps);

      // Act
      const moved = await updateContact(tenant, mover.id, { phone: '(312) 234-5678' }, harness.deps);
      const newcomer = await createContact(tenant, { phone: '+12127365000' }, harness.deps);
      const duplicate = createContact(tenant, { phone: '+13122345678' }, harness.deps);

      // Assert
      expect(moved).toMatchObject({ phone: '+13122345678', timeZone: 'America/Chicago' });
      expect(newcomer.id).not.toBe(mover.id);
      await expect(duplicate).rejects.toMatchObject({ code: 'CONTACT.PHONE_EXISTS', meta: { contactId: mover.id } });
      expect((await listAllContacts(tenant, harness.deps)).contacts).toHaveLength(2);
    });

    it("refuses a move onto another contact's number with a 409 naming that contact", async () => {
      // Arrange
      const tenant = harness.newTenant('move-clash');
      const first = await createContact(tenant, { phone: '+12127365000' }, harness.deps);
      const second = await createContact(tenant, { phone: '+13122345678' }, harness.deps);

      // Act
      const clash = updateContact(tenant, second.id, { phone: '212-736-5000' }, harness.deps);

      // Assert
      await expect(clash).rejects.toMatchObject({ code: 'CONTACT.PHONE_EXISTS', meta: { contactId: first.id } });
      expect((await getContact(tenant, second.id, harness.deps)).phone).toBe('+13122345678');
    });
  });
});
