import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createEmailActivities } from '../../services/email/activities';
import { createMailer } from '../../services/email/mailer';
import { emailSchema, EmailStore } from '../../services/email/store';
import { openTestDatabase } from '../support/databases';
import { orderInput } from '../support/orders';
import { ActivityEnv } from '../support/activity-env';

const env = new ActivityEnv();
let dir: string;
let store: EmailStore;

beforeEach(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'email-'));
  store = new EmailStore(await openTestDatabase(emailSchema));
});
afterEach(() => store.close());

test('a confirmation asked for twice is written to the outbox once, as a real RFC 822 message', async () => {
  const outboxDir = path.join(dir, 'outbox');
  const { sendOrderEmail } = createEmailActivities(store, createMailer({ outboxDir }), 'Shop <shop@example.com>');
  const order = orderInput({ orderId: 'o-1' });

  const first = await env.run(sendOrderEmail, { template: 'order-confirmation', order, trackingNumber: 'TX123' });
  const second = await env.run(sendOrderEmail, { template: 'order-confirmation', order, trackingNumber: 'TX123' });

  expect(second).toEqual(first);
  expect(fs.readdirSync(outboxDir)).toEqual(['o-1.order-confirmation.eml']);
  const message = fs.readFileSync(path.join(outboxDir, 'o-1.order-confirmation.eml'), 'utf8');
  expect(message).toMatch(/^To: ada@example\.com$/m);
  expect(message).toMatch(/^Message-ID: <o-1\.order-confirmation@shop\.example>$/m);
  expect(message).toMatch(/Tracking number: TX123/);
});

test('a failed send records nothing, so the retry sends it', async () => {
  let calls = 0;
  const flakyMailer = {
    async send() {
      calls += 1;
      if (calls === 1) throw new Error('SMTP connection reset');
    },
  };
  const { sendOrderEmail } = createEmailActivities(store, flakyMailer, 'shop@example.com');
  const order = orderInput({ orderId: 'o-2' });

  await expect(env.run(sendOrderEmail, { template: 'order-cancelled', order, reason: 'declined' })).rejects.toThrow(
    'SMTP connection reset',
  );
  expect(await store.find('o-2', 'order-cancelled')).toBeUndefined();
  await env.run(sendOrderEmail, { template: 'order-cancelled', order, reason: 'declined' });
  expect(calls).toBe(2);
  expect((await store.sentTo('o-2')).map((email) => email.template)).toEqual(['order-cancelled']);
});
