/**
 * Just enough MIME to show the local inbox's mail: headers (folded lines, RFC 2047 encoded
 * words), nested multiparts, and the 7bit, 8bit, quoted-printable and base64 transfer
 * encodings, in UTF-8. Local only: it reads what our own mailer sends, not the whole internet.
 */

export interface ParsedMail {
  readonly headers: Readonly<Record<string, string>>;
  readonly subject: string;
  readonly from: string;
  readonly to: string;
  readonly date: string;
  readonly text: string | null;
  readonly html: string | null;
}

interface Part {
  readonly headers: Record<string, string>;
  readonly body: string;
}

const splitHead = (raw: string): Part => {
  const at = raw.search(/\r?\n\r?\n/);
  const head = at < 0 ? raw : raw.slice(0, at);
  const body = at < 0 ? '' : raw.slice(at).replace(/^\r?\n\r?\n/, '');
  const headers: Record<string, string> = {};
  for (const line of head.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return { headers, body };
};

const decodeQuotedPrintable = (text: string): Buffer => {
  const soft = text.replace(/=\r?\n/g, '');
  const bytes: number[] = [];
  for (let i = 0; i < soft.length; i++) {
    const hex = soft.slice(i + 1, i + 3);
    if (soft[i] === '=' && /^[0-9A-Fa-f]{2}$/.test(hex)) {
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else {
      bytes.push(...Buffer.from(soft[i]!, 'latin1'));
    }
  }
  return Buffer.from(bytes);
};

/** `=?UTF-8?Q?…?=` and `=?UTF-8?B?…?=` words, as nodemailer writes non-ASCII headers. */
export const decodeEncodedWords = (value: string): string =>
  value
    .replace(/\?=\s+=\?/g, '?==?')
    .replace(/=\?([^?]+)\?([QqBb])\?([^?]*)\?=/g, (_m, _charset: string, encoding: string, text: string) =>
      encoding.toUpperCase() === 'B'
        ? Buffer.from(text, 'base64').toString('utf8')
        : decodeQuotedPrintable(text.replace(/_/g, ' ')).toString('utf8'),
    );

const decodeBody = (part: Part): string => {
  const encoding = (part.headers['content-transfer-encoding'] ?? '7bit').toLowerCase();
  if (encoding === 'base64') return Buffer.from(part.body.replace(/\s+/g, ''), 'base64').toString('utf8');
  if (encoding === 'quoted-printable') return decodeQuotedPrintable(part.body).toString('utf8');
  return part.body;
};

const leaves = (part: Part): Part[] => {
  const type = part.headers['content-type'] ?? 'text/plain';
  const boundary = /boundary="?([^";]+)"?/i.exec(type)?.[1];
  if (!/^multipart\//i.test(type) || !boundary) return [part];
  const sections = part.body.split(`--${boundary}`).slice(1);
  return sections
    .filter((s) => !s.startsWith('--'))
    .map((s) => splitHead(s.replace(/^\r?\n/, '').replace(/\r?\n$/, '')))
    .flatMap(leaves);
};

/** Parses one message as received over SMTP. */
export function parseMail(raw: string): ParsedMail {
  const top = splitHead(raw);
  const parts = leaves(top);
  const find = (type: string) => {
    const part = parts.find((p) => (p.headers['content-type'] ?? 'text/plain').toLowerCase().startsWith(type));
    return part ? decodeBody(part) : null;
  };
  const header = (name: string) => decodeEncodedWords(top.headers[name] ?? '');
  return { headers: top.headers, subject: header('subject'), from: header('from'), to: header('to'), date: top.headers.date ?? '', text: find('text/plain'), html: find('text/html') };
}
