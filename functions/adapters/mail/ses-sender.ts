import { SendEmailCommand, SESv2Client } from '@aws-sdk/client-sesv2';
import type { MailSender, OutgoingEmail } from '../../../shared/ports';

/** The one call the sender makes. */
export type Sesv2 = { send(command: SendEmailCommand): Promise<unknown> };

/**
 * Sends with Amazon SES (v2 API) through the stack's configuration set, so every email's
 * delivery, bounce and complaint events are tracked there. A refused send throws: the mailer
 * records it and retries later.
 */
export class SesMailSender implements MailSender {
  constructor(
    private readonly from: string,
    private readonly configurationSet: string,
    region: string,
    private readonly client: Sesv2 = new SESv2Client({ region }),
  ) {}

  async send(mail: OutgoingEmail): Promise<void> {
    await this.client.send(
      new SendEmailCommand({
        FromEmailAddress: this.from,
        Destination: { ToAddresses: [mail.to] },
        ConfigurationSetName: this.configurationSet,
        Content: {
          Simple: {
            Subject: { Data: mail.subject, Charset: 'UTF-8' },
            Body: { Text: { Data: mail.text, Charset: 'UTF-8' }, Html: { Data: mail.html, Charset: 'UTF-8' } },
          },
        },
      }),
    );
  }
}
