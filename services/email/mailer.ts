import fs from 'node:fs/promises';
import path from 'node:path';
import nodemailer from 'nodemailer';

export interface OutgoingMessage {
  messageId: string;
  from: string;
  to: string;
  subject: string;
  text: string;
}

export interface Mailer {
  send(message: OutgoingMessage): Promise<void>;
}

/**
 * Real messages through nodemailer: over SMTP when a URL is configured, otherwise written
 * as .eml files into an outbox folder (open them with any mail client).
 */
export function createMailer(settings: { smtpUrl?: string; outboxDir: string }): Mailer {
  if (settings.smtpUrl) {
    const transport = nodemailer.createTransport(settings.smtpUrl);
    return { send: async (message) => void (await transport.sendMail(message)) };
  }
  const transport = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  return {
    async send(message) {
      const info = await transport.sendMail(message);
      await fs.mkdir(settings.outboxDir, { recursive: true });
      // One file per message id, written atomically: sending the same message again overwrites, never duplicates.
      const file = path.join(settings.outboxDir, `${message.messageId.replace(/^<|@.*$/g, '').replace(/[^A-Za-z0-9.-]/g, '_')}.eml`);
      await fs.writeFile(`${file}.tmp`, info.message as Buffer);
      await fs.rename(`${file}.tmp`, file);
    },
  };
}
