import type { Schema, ServiceDatabase } from '../common/database';
import { nowIso } from '../common/time';

export interface SentEmail {
  orderId: string;
  template: string;
  messageId: string;
  recipient: string;
  subject: string;
  sentAt: string;
}

export interface EmailTables {
  sent_emails: { order_id: string; template: string; message_id: string; recipient: string; subject: string; sent_at: string };
}

export type EmailDatabase = ServiceDatabase<EmailTables>;

/** The email database's schema, version by version. */
export const emailSchema: Schema = {
  service: 'email',
  migrations: [
    {
      version: 1,
      name: 'sent emails, one per order and template',
      async up(db) {
        await db.schema
          .createTable('sent_emails')
          .ifNotExists()
          .addColumn('order_id', 'text', (col) => col.notNull())
          .addColumn('template', 'text', (col) => col.notNull())
          .addColumn('message_id', 'text', (col) => col.notNull())
          .addColumn('recipient', 'text', (col) => col.notNull())
          .addColumn('subject', 'text', (col) => col.notNull())
          .addColumn('sent_at', 'text', (col) => col.notNull())
          .addPrimaryKeyConstraint('sent_emails_once', ['order_id', 'template'])
          .execute();
      },
    },
  ],
};

/** The email service's own data: a record of every message sent, one per order and template. */
export class EmailStore {
  constructor(readonly database: EmailDatabase) {}

  private get db() {
    return this.database.db;
  }

  async find(orderId: string, template: string): Promise<SentEmail | undefined> {
    return this.sentEmails().where('order_id', '=', orderId).where('template', '=', template).executeTakeFirst();
  }

  /** Records a message once per order and template; recording it again, from any replica, returns the first record. */
  async record(email: Omit<SentEmail, 'sentAt'>): Promise<SentEmail> {
    await this.db
      .insertInto('sent_emails')
      .values({
        order_id: email.orderId,
        template: email.template,
        message_id: email.messageId,
        recipient: email.recipient,
        subject: email.subject,
        sent_at: nowIso(),
      })
      .onConflict((oc) => oc.columns(['order_id', 'template']).doNothing())
      .execute();
    return (await this.find(email.orderId, email.template))!;
  }

  async sentTo(orderId: string): Promise<SentEmail[]> {
    return this.sentEmails().where('order_id', '=', orderId).orderBy('sent_at').execute();
  }

  /** Every order an email was sent for. */
  async orderIds(): Promise<string[]> {
    const rows = await this.db.selectFrom('sent_emails').select('order_id').distinct().orderBy('order_id').execute();
    return rows.map((row) => row.order_id);
  }

  close(): Promise<void> {
    return this.database.close();
  }

  private sentEmails() {
    return this.db
      .selectFrom('sent_emails')
      .select(['order_id as orderId', 'template', 'message_id as messageId', 'recipient', 'subject', 'sent_at as sentAt']);
  }
}
