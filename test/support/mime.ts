/** Just enough MIME reading for the messages nodemailer writes: headers, and the text and html parts. */
export interface ReceivedMail {
  readonly headers: ReadonlyMap<string, string>;
  readonly text: string;
  readonly html: string;
}

interface Entity {
  readonly headers: Map<string, string>;
  readonly body: string;
}

export function parseMail(raw: string): ReceivedMail {
  const message = entity(raw);
  const boundary = /boundary="?([^";]+)"?/.exec(message.headers.get('content-type') ?? '')?.[1];
  const parts = boundary ? message.body.split(`--${boundary}`).slice(1, -1).map(entity) : [message];
  const part = (type: string) => {
    const found = parts.find((p) => p.headers.get('content-type')?.startsWith(type));
    return found ? decode(found) : '';
  };
  return { headers: message.headers, text: part('text/plain'), html: part('text/html') };
}

function entity(raw: string): Entity {
  const trimmed = raw.replace(/^\r\n/, '');
  const end = trimmed.indexOf('\r\n\r\n');
  const lines = trimmed
    .slice(0, end)
    .replace(/\r\n[ \t]+/g, ' ')
    .split('\r\n');
  const headers = new Map(
    lines.map((line) => [line.slice(0, line.indexOf(':')).toLowerCase(), line.slice(line.indexOf(':') + 1).trim()]),
  );
  return { headers, body: trimmed.slice(end + 4).replace(/\r\n$/, '') };
}

function decode({ headers, body }: Entity): string {
  const encoding = headers.get('content-transfer-encoding') ?? '7bit';
  const bytes =
    encoding === 'base64'
      ? Buffer.from(body, 'base64')
      : encoding === 'quoted-printable'
        ? Buffer.from(
            body
              .replace(/=\r\n/g, '')
              .replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16))),
            'latin1',
          )
        : Buffer.from(body, 'utf8');
  return bytes.toString('utf8').replace(/\r\n/g, '\n');
}
