import { createHash } from 'node:crypto';
import { createTransport, type Transporter } from 'nodemailer';
import type { MailSender, OutgoingEmail } from '../../../shared/ports';

/**
 * Sends over SMTP with nodemailer: the local mail server under `npm start` and the tests. Local
 * only (nodemailer is a devDependency); deployed, the SES sender takes its place.
 */
export class SmtpMailSender implements MailSender {
  private readonly transport: Transporter;

  constructor(
    /** `smtp://127.0.0.1:<port>` */
    smtpUrl: string,
    private readonly from: string,
  ) {
    const url = new URL(smtpUrl);
    this.transport = createTransport({
      host: url.hostname,
      port: Number(url.port),
      secure: false,
      ignoreTLS: true,
      // A refused or silent server is a failed attempt to record and retry, not a hung request.
      connectionTimeout: 2_000,
      greetingTimeout: 2_000,
      socketTimeout: 5_000,
    });
  }

  async send(mail: OutgoingEmail): Promise<void> {
    const id = createHash('sha256').update(mail.deliveryKey).digest('hex').slice(0, 40);
    await this.transport.sendMail({ from: this.from, to: mail.to, subject: mail.subject, text: mail.text, html: mail.html, messageId: `<${id}@accord.local>` });
  }

  close(): void {
    this.transport.close();
  }
}
