/**
 * HTTP/1.1 on a raw TCP socket, for what fetch and node:http refuse to send (a header given
 * twice as two lines, a control character in a header value, a malformed request line) and
 * for reading the bytes a server writes exactly as they arrive.
 */
import net from 'node:net';

/** A raw HTTP/1.1 response: status line, headers (lower-case names, repeated ones joined with ", "), body bytes. */
export interface RawResponse {
  statusLine: string;
  headers: Record<string, string>;
  body: Buffer;
}

/**
 * Writes `text` (CRLFs included) to a new connection to `baseUrl` and resolves with every
 * byte received until the server closes it. Send `Connection: close` (or a request the server
 * refuses with a close) or it waits for the keep-alive timeout.
 */
export function sendRaw(baseUrl: string, text: string | Buffer): Promise<Buffer> {
  const { hostname, port } = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    // write, not end: a half-closed client makes Node's server abort the request.
    const socket = net.connect(Number(port), hostname, () => socket.write(text));
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', (error: NodeJS.ErrnoException) => {
      // A reset after the response was read is the server closing hard: the bytes are the answer.
      if (chunks.length > 0 && error.code === 'ECONNRESET') return;
      reject(error);
    });
    socket.on('close', () => resolve(Buffer.concat(chunks)));
  });
}

/**
 * Splits one raw HTTP/1.1 response.
 * @throws Error when the bytes hold no complete header block.
 */
export function parseRawResponse(bytes: Buffer): RawResponse {
  const end = bytes.indexOf('\r\n\r\n');
  if (end < 0) throw new Error(`no complete HTTP response head in ${JSON.stringify(bytes.toString('latin1'))}`);
  const [statusLine, ...lines] = bytes.subarray(0, end).toString('latin1').split('\r\n');
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const name = line.slice(0, line.indexOf(':')).toLowerCase();
    const value = line.slice(line.indexOf(':') + 1).trim();
    headers[name] = name in headers ? `${headers[name]}, ${value}` : value;
  }
  return { statusLine: statusLine!, headers, body: bytes.subarray(end + 4) };
}
