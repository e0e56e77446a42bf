/**
 * Requests node's HTTP parser rejects before express sees them (a URL or headers over the 16 KB limit, malformed
 * request lines): a JSON 400 with the same security headers as every other answer, instead of node's bare 431/400.
 */
import type { Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { errorBody, HttpError } from './errors.js';

/** Node's default limit of the request line plus headers; named in the message. */
const MAX_HEADER_BYTES = 16 * 1024;

export function answerClientErrors(server: Server, headers: Record<string, string>): void {
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => {
    if (error.code === 'ECONNRESET' || !socket.writable) {
      socket.destroy();
      return;
    }
    const tooLong = error.code === 'HPE_HEADER_OVERFLOW';
    const message = tooLong
      ? `请求的网址或请求头太长（上限 ${MAX_HEADER_BYTES / 1024} KB）：请缩短查询`
      : '无法解析的 HTTP 请求';
    const body = JSON.stringify(errorBody(new HttpError(400, 'bad_request', message)));
    const lines = [
      'HTTP/1.1 400 Bad Request',
      'Content-Type: application/json; charset=utf-8',
      `Content-Length: ${Buffer.byteLength(body)}`,
      'Cache-Control: no-cache',
      'Connection: close',
      ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`),
    ];
    socket.end(`${lines.join('\r\n')}\r\n\r\n${body}`);
  });
}
