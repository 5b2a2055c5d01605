/**
 * Requests that never became requests: a malformed request line, headers over Node's 16 KB
 * limit, a client that hung up mid-body. They are the client's doing, so they are answered
 * (in the error shape, when the socket is still there) and logged at debug level only.
 */
import type { Server } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Context } from 'hono';
import type { Logger } from 'pino';

const statusLines: Record<number, string> = {
  400: 'Bad Request',
  408: 'Request Timeout',
  431: 'Request Header Fields Too Large',
};

function rawErrorResponse(status: number, code: string, message: string): string {
  const body = JSON.stringify({ error: { code, message, requestId: 'none' } });
  return [
    `HTTP/1.1 ${status} ${statusLines[status]}`,
    'content-type: application/json',
    `content-length: ${Buffer.byteLength(body)}`,
    'x-content-type-options: nosniff',
    'connection: close',
    '',
    body,
  ].join('\r\n');
}

/** Replaces Node's silent default `clientError` handling with a quiet, shaped one. */
export function answerClientErrors(server: Pick<Server, 'on'>, logger: Logger): void {
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => {
    logger.debug({ code: error.code, reason: error.message }, 'malformed request or client gone');
    if (error.code === 'ECONNRESET' || !socket.writable) {
      socket.destroy();
      return;
    }
    const response =
      error.code === 'HPE_HEADER_OVERFLOW'
        ? rawErrorResponse(
            431,
            'payload_too_large',
            'The request line and headers are larger than 16 KB. Send long input in the body.',
          )
        : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
          ? rawErrorResponse(408, 'validation_failed', 'The request did not arrive in time.')
          : rawErrorResponse(400, 'validation_failed', 'Malformed HTTP request.');
    socket.end(response);
  });
}

/** Whether an error only means the client went away before its request was read. */
export function isClientDisconnect(context: Context, error: unknown): boolean {
  if (context.req.raw.signal?.aborted) return true;
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return (
    code === 'ECONNRESET' ||
    code === 'ERR_STREAM_PREMATURE_CLOSE' ||
    (error instanceof Error && error.message === 'aborted')
  );
}
