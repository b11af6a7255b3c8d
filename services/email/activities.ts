import { log } from '@temporalio/activity';
import { whileHeartbeating } from '../common/heartbeat';
import type { OrderInput } from '../../workflows/types';
import type { Mailer } from './mailer';
import type { EmailStore, SentEmail } from './store';
import { render, type TemplateDetails, type TemplateName } from './templates';

export interface EmailRequest extends TemplateDetails {
  template: TemplateName;
  order: OrderInput;
}

/** The email service's activities. One message per order and template, however often it is asked. */
export function createEmailActivities(store: EmailStore, mailer: Mailer, from: string) {
  return {
    async sendOrderEmail({ template, order, ...details }: EmailRequest): Promise<SentEmail> {
      const alreadySent = await store.find(order.orderId, template);
      if (alreadySent) return alreadySent;
      const { subject, text } = render(template, order, details);
      // A stable Message-ID: if we crash after sending and before recording, the resend is recognisably the same message.
      const messageId = `<${order.orderId}.${template}@shop.example>`;
      await whileHeartbeating(() => mailer.send({ messageId, from, to: order.customerEmail, subject, text }));
      log.info('email sent', { orderId: order.orderId, template });
      return store.record({ orderId: order.orderId, template, messageId, recipient: order.customerEmail, subject });
    },
  };
}

export type EmailActivities = ReturnType<typeof createEmailActivities>;
