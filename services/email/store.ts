import { nowIso, openDatabase, type Db } from '../common/database';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS sent_emails (
  order_id TEXT NOT NULL,
  template TEXT NOT NULL,
  message_id TEXT NOT NULL,
  recipient TEXT NOT NULL,
  subject TEXT NOT NULL,
  sent_at TEXT NOT NULL,
  PRIMARY KEY (order_id, template)
);
`;

export interface SentEmail {
  orderId: string;
  template: string;
  messageId: string;
  recipient: string;
  subject: string;
  sentAt: string;
}

/** The email service's own data: a record of every message sent, one per order and template. */
export class EmailStore {
  readonly db: Db;

  constructor(file: string) {
    this.db = openDatabase(file, SCHEMA);
  }

  find(orderId: string, template: string): SentEmail | undefined {
    return this.db
      .prepare(
        `SELECT order_id AS orderId, template, message_id AS messageId, recipient, subject, sent_at AS sentAt
         FROM sent_emails WHERE order_id = ? AND template = ?`,
      )
      .get(orderId, template) as SentEmail | undefined;
  }

  record(email: Omit<SentEmail, 'sentAt'>): SentEmail {
    this.db
      .prepare('INSERT OR IGNORE INTO sent_emails VALUES (?, ?, ?, ?, ?, ?)')
      .run(email.orderId, email.template, email.messageId, email.recipient, email.subject, nowIso());
    return this.find(email.orderId, email.template)!;
  }

  sentTo(orderId: string): SentEmail[] {
    return this.db
      .prepare(
        `SELECT order_id AS orderId, template, message_id AS messageId, recipient, subject, sent_at AS sentAt
         FROM sent_emails WHERE order_id = ? ORDER BY sent_at`,
      )
      .all(orderId) as SentEmail[];
  }

  /** Every order an email was sent for. */
  orderIds(): string[] {
    return this.db.prepare('SELECT DISTINCT order_id FROM sent_emails ORDER BY order_id').pluck().all() as string[];
  }

  close(): void {
    this.db.close();
  }
}
