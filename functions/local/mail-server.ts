import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { parseMail, type ParsedMail } from './mime';

/** Options for {@link startMailServer}. */
export interface MailServerOptions {
  /**
   * SMTP port on 127.0.0.1.
   * @default 0 (a free port; read it back from the result)
   */
  readonly smtpPort?: number;
  /**
   * Port of the web inbox and its REST API on 127.0.0.1.
   * @default 0
   */
  readonly webPort?: number;
  /**
   * Messages kept in memory, oldest dropped first.
   * @default 1000
   */
  readonly keep?: number;
}

/** A message the local server received. */
export interface ReceivedMail extends ParsedMail {
  readonly id: string;
  /** The SMTP envelope's recipients (what the sender asked to deliver to). */
  readonly recipients: readonly string[];
  readonly receivedAt: string;
}

/** A running local mail server. */
export interface MailServer {
  /** Where the mailer sends: `smtp://127.0.0.1:<port>`. */
  readonly smtpUrl: string;
  readonly smtpPort: number;
  /** The web inbox; its REST API is under `/api/messages`. */
  readonly webUrl: string;
  /** Everything received, oldest first. */
  messages(): readonly ReceivedMail[];
  stop(): Promise<void>;
}

const HOST = '127.0.0.1';

const escapeHtml = (text: string): string =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

const inboxPage = (mails: readonly ReceivedMail[]): string => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Accord local inbox (${mails.length})</title>
<style>body{font:15px/1.5 system-ui,sans-serif;margin:0 auto;max-width:60rem;padding:1rem}li{margin:.25rem 0}small{color:#555}</style></head>
<body><h1>Accord local inbox</h1>
<p>Every email the local mailer sent, newest first; nothing leaves this machine. JSON: <a href="/api/messages">/api/messages</a>.</p>
${mails.length === 0 ? '<p>No mail yet.</p>' : `<ol reversed>${[...mails].reverse().map((m) => `<li><a href="/messages/${m.id}">${escapeHtml(m.subject || '(no subject)')}</a> <small>to ${escapeHtml(m.recipients.join(', '))} · ${escapeHtml(m.receivedAt)}</small></li>`).join('')}</ol>`}
</body></html>`;

const messagePage = (m: ReceivedMail): string => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(m.subject)}</title>
<style>body{font:15px/1.5 system-ui,sans-serif;margin:0 auto;max-width:60rem;padding:1rem}pre{white-space:pre-wrap;background:#f4f4f4;padding:1rem}</style></head>
<body><p><a href="/">All mail</a></p><h1>${escapeHtml(m.subject)}</h1>
<dl><dt>From</dt><dd>${escapeHtml(m.from)}</dd><dt>To</dt><dd>${escapeHtml(m.to)}</dd><dt>Received</dt><dd>${escapeHtml(m.receivedAt)}</dd></dl>
${m.html === null ? '' : `<p><a href="/messages/${m.id}/html">Open the HTML part</a> (as the recipient's mail client would show it)</p>`}
${m.text === null ? '' : `<h2>Plain-text part</h2><pre>${escapeHtml(m.text)}</pre>`}
</body></html>`;

const listen = (server: { listen(port: number, host: string, cb: () => void): unknown; once(event: 'error', cb: (e: Error) => void): unknown }, port: number, what: string) =>
  new Promise<void>((resolve, reject) => {
    server.once('error', (error: Error) => reject(new Error(`${what} could not listen on ${HOST}:${port}: ${error.message}`)));
    server.listen(port, HOST, resolve);
  });

/**
 * A real SMTP server (smtp-server, from the nodemailer project) on loopback that keeps every
 * message in memory, and a small web inbox beside it: `/` lists the mail, `/messages/<id>`
 * shows one (`/messages/<id>/html` its HTML part, sandboxed), `GET /api/messages[?to=<address>]` returns
 * them as JSON and `DELETE /api/messages` empties the inbox. Local only: `npm start` and the
 * tests' global setup run it; no Lambda bundle imports it.
 */
export async function startMailServer(options: MailServerOptions = {}): Promise<MailServer> {
  const keep = options.keep ?? 1000;
  const mails: ReceivedMail[] = [];
  let counter = 0;

  const smtp = new SMTPServer({
    // Loopback only and no secrets in transit: no TLS, no authentication.
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    size: 5 * 1024 * 1024,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const parsed = parseMail(Buffer.concat(chunks).toString('utf8'));
        counter += 1;
        mails.push({
          ...parsed,
          id: String(counter),
          recipients: session.envelope.rcptTo.map((r) => r.address),
          receivedAt: new Date().toISOString(),
        });
        if (mails.length > keep) mails.splice(0, mails.length - keep);
        callback();
      });
    },
  });

  const web = createServer((req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', `http://${HOST}`);
    const send = (status: number, type: string, body: string) => {
      res.writeHead(status, { 'content-type': `${type}; charset=utf-8`, 'cache-control': 'no-store' });
      res.end(body);
    };
    if (url.pathname === '/api/messages' && req.method === 'DELETE') {
      mails.splice(0);
      return send(200, 'application/json', '{"deleted":true}');
    }
    if (url.pathname === '/api/messages' && req.method === 'GET') {
      const to = url.searchParams.get('to')?.toLowerCase();
      return send(200, 'application/json', JSON.stringify(to ? mails.filter((m) => m.recipients.some((r) => r.toLowerCase() === to)) : mails));
    }
    if (url.pathname === '/' && req.method === 'GET') return send(200, 'text/html', inboxPage(mails));
    const one = /^\/messages\/(\d+)$/.exec(url.pathname);
    const mail = one ? mails.find((m) => m.id === one[1]) : undefined;
    if (mail && req.method === 'GET') return send(200, 'text/html', messagePage(mail));
    const html = /^\/messages\/(\d+)\/html$/.exec(url.pathname);
    const htmlMail = html ? mails.find((m) => m.id === html[1]) : undefined;
    if (htmlMail?.html && req.method === 'GET') {
      // The mail's own HTML, sandboxed: no script runs, its links still open.
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', 'content-security-policy': 'sandbox allow-popups allow-top-navigation-by-user-activation' });
      return res.end(htmlMail.html);
    }
    return send(404, 'text/plain', 'Not found');
  });

  await listen(smtp.server, options.smtpPort ?? 0, 'The SMTP server');
  try {
    await listen(web, options.webPort ?? 0, 'The mail inbox');
  } catch (error) {
    await new Promise<void>((resolve) => smtp.close(() => resolve()));
    throw error;
  }
  const smtpPort = (smtp.server.address() as AddressInfo).port;
  const webPort = (web.address() as AddressInfo).port;
  return {
    smtpUrl: `smtp://${HOST}:${smtpPort}`,
    smtpPort,
    webUrl: `http://${HOST}:${webPort}`,
    messages: () => mails,
    stop: async () => {
      web.closeAllConnections();
      await Promise.all([
        new Promise<void>((resolve) => web.close(() => resolve())),
        new Promise<void>((resolve) => smtp.close(() => resolve())),
      ]);
    },
  };
}
