// Reading request input strictly: bodies within the size limit and valid UTF-8, well-formed
// query strings and paths. Anything else is a clear 400/413, and nothing changes.
import type { Context, MiddlewareHandler } from 'hono';
import { AppError, ValidationError } from '../core/errors.js';
import type { WebEnv } from './context.js';

const utf8 = new TextDecoder('utf-8', { fatal: true });

export class PayloadTooLarge extends AppError {
  constructor(limit: number) {
    super('PAYLOAD_TOO_LARGE', `The request body is larger than the limit of ${limit} bytes.`);
  }
}

/** Read the raw body, refusing more than `limit` bytes whatever Content-Length claims. */
export async function readBodyBytes(c: Context, limit: number): Promise<Uint8Array> {
  const declared = Number(c.req.header('content-length') ?? '0');
  if (declared > limit) throw new PayloadTooLarge(limit);
  const body = c.req.raw.body;
  if (!body) return new Uint8Array();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of body as unknown as AsyncIterable<Uint8Array>) {
    size += chunk.byteLength;
    if (size > limit) throw new PayloadTooLarge(limit);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/** Decode UTF-8, refusing invalid sequences instead of silently replacing them. */
export function decodeUtf8(bytes: Uint8Array, what = 'The request body'): string {
  try {
    return utf8.decode(bytes);
  } catch {
    throw new ValidationError(`${what} is not valid UTF-8.`);
  }
}

export async function readText(c: Context, limit: number): Promise<string> {
  return decodeUtf8(await readBodyBytes(c, limit));
}

/** Parse an application/x-www-form-urlencoded body into name → last value (and all values). */
export async function readForm(c: Context, limit: number): Promise<FormData> {
  const type = (c.req.header('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  if (type === 'multipart/form-data') {
    const bytes = await readBodyBytes(c, limit);
    const request = new Request('http://local/', {
      method: 'POST',
      headers: { 'content-type': c.req.header('content-type')! },
      body: bytes,
    });
    try {
      return await request.formData();
    } catch {
      throw new ValidationError('The form could not be read.');
    }
  }
  const text = await readText(c, limit);
  const form = new FormData();
  for (const pair of text.split('&')) {
    if (!pair) continue;
    const eq = pair.indexOf('=');
    const [rawName, rawValue] = eq < 0 ? [pair, ''] : [pair.slice(0, eq), pair.slice(eq + 1)];
    form.append(strictDecode(rawName), strictDecode(rawValue));
  }
  return form;
}

/** Parse a JSON body with a clear message on failure. */
export async function readJson(c: Context, limit: number): Promise<unknown> {
  const text = await readText(c, limit);
  if (!text.trim()) return {};
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw new ValidationError(`The request body is not valid JSON: ${(e as Error).message}`);
  }
}

function strictDecode(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    throw new ValidationError('The request has malformed percent-encoding or invalid UTF-8.');
  }
}

/** A string field of a form, trimmed of nothing, with a length limit. */
export function field(form: FormData, name: string, maxLength = 1000): string {
  const value = form.get(name);
  if (value === null) return '';
  if (typeof value !== 'string') throw new ValidationError(`The field "${name}" must be text.`);
  if (value.length > maxLength)
    throw new ValidationError(`The field "${name}" is longer than ${maxLength} characters.`);
  return value;
}

/** Refuse URLs whose path or query has malformed percent-encoding or invalid UTF-8. */
export function strictUrl(): MiddlewareHandler<WebEnv> {
  return async function checkUrl(c, next) {
    const url = c.req.url;
    const start = url.indexOf('/', url.indexOf('//') + 2);
    const pathAndQuery = start < 0 ? '' : url.slice(start);
    try {
      for (const part of pathAndQuery.split(/[?&=]/)) decodeURIComponent(part.replace(/\+/g, ' '));
    } catch {
      throw new ValidationError('The address has malformed percent-encoding or invalid UTF-8.');
    }
    await next();
  };
}
