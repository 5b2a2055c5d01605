/**
 * The few Postgres wire-protocol messages the PGlite server reads or writes itself
 * (https://www.postgresql.org/docs/current/protocol-message-formats.html).
 */

// Untyped requests a client may send instead of, or before, its startup message.
export const SSL_REQUEST = 80877103;
export const GSSENC_REQUEST = 80877104;
export const CANCEL_REQUEST = 80877102;

export function protocolMessage(type: string, body: Buffer): Buffer {
  const header = Buffer.alloc(5);
  header.write(type, 0, 'latin1');
  header.writeInt32BE(4 + body.length, 1);
  return Buffer.concat([header, body]);
}

export function query(sql: string): Buffer {
  return protocolMessage('Q', Buffer.from(`${sql}\0`));
}

export function execute(portal: string): Buffer {
  const body = Buffer.alloc(Buffer.byteLength(portal) + 5);
  body.write(`${portal}\0`);
  return protocolMessage('E', body); // the trailing int32 0: no row limit
}

export function sync(): Buffer {
  return protocolMessage('S', Buffer.alloc(0));
}

export function errorResponse(severity: string, code: string, text: string): Buffer {
  return protocolMessage('E', Buffer.from(`S${severity}\0V${severity}\0C${code}\0M${text}\0\0`));
}

/** The channel of a NotificationResponse: 'A', length, sender pid, channel, payload. */
export function notificationChannel(message: Buffer): string {
  return message.toString('utf8', 9, message.indexOf(0, 9));
}

// LISTEN name / UNLISTEN name|* at the start of a statement (after ';' in a multi-statement Query).
const LISTEN_COMMANDS = /(?:^|;)\s*(listen|unlisten)\s+(\*|"(?:[^"]|"")*"|[^\s;]+)/gi;

/** The SQL text of a Query or Parse message, if it is one. */
export function sqlText(message: Buffer): string | undefined {
  const type = String.fromCharCode(message[0]!);
  if (type !== 'Q' && type !== 'P') return undefined;
  const start = type === 'P' ? message.indexOf(0, 5) + 1 : 5; // Parse: after the statement name
  return message.toString('utf8', start, message.indexOf(0, start));
}

/** LISTEN and UNLISTEN statements in the SQL text of a Query or Parse message, in order. */
export function listenCommands(message: Buffer): { listen: boolean; channel: string }[] {
  const text = sqlText(message);
  if (!text) return [];
  return [...text.matchAll(LISTEN_COMMANDS)].map(([, command, name]) => ({
    listen: command!.toLowerCase() === 'listen',
    channel: identifier(name!),
  }));
}

/** The first column of the first DataRow among backend messages, as text (null if none). */
export function firstValue(messages: Buffer[]): string | null {
  const row = messages.find((message) => message[0] === 'D'.charCodeAt(0));
  if (!row || row.readInt16BE(5) === 0) return null;
  const length = row.readInt32BE(7);
  return length < 0 ? null : row.toString('utf8', 11, 11 + length);
}

/** A channel as the backend names it: quoted kept as written, unquoted folded to lower case. */
function identifier(name: string): string {
  if (name.startsWith('"')) return name.slice(1, -1).replaceAll('""', '"');
  return name === '*' ? name : name.toLowerCase();
}
