// Security-critical: the renderer's files are served from app://breakglass/ with path checks.
import path from 'node:path';
import { readFile } from 'node:fs/promises';
import { APP_ORIGIN, CONTENT_SECURITY_POLICY } from './security';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
};

/** Maps an app:// request to a file under `root`, refusing anything that escapes it. */
export function resolveRendererPath(root: string, url: string): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  if (`${parsed.protocol}//${parsed.host}` !== APP_ORIGIN) return null;
  let relative: string;
  try {
    relative = decodeURIComponent(parsed.pathname === '/' ? '/index.html' : parsed.pathname);
  } catch {
    // Malformed percent-encoding: a 404, not an exception in the protocol handler.
    return null;
  }
  if (relative.includes('\0')) return null;
  const file = path.resolve(root, `.${relative}`);
  if (file !== root && !file.startsWith(root + path.sep)) return null;
  return Object.hasOwn(TYPES, path.extname(file)) ? file : null;
}

export async function serveRendererRequest(root: string, request: { url: string; method: string }): Promise<Response> {
  if (request.method !== 'GET') return new Response('method not allowed', { status: 405 });
  const file = resolveRendererPath(root, request.url);
  if (!file) return new Response('not found', { status: 404 });
  try {
    const body = await readFile(file);
    return new Response(body, {
      status: 200,
      headers: {
        'content-type': TYPES[path.extname(file)]!,
        'content-security-policy': CONTENT_SECURITY_POLICY,
        'x-content-type-options': 'nosniff',
        'cross-origin-opener-policy': 'same-origin',
        'cross-origin-resource-policy': 'same-origin',
        'referrer-policy': 'no-referrer',
        'cache-control': 'no-store',
      },
    });
  } catch {
    return new Response('not found', { status: 404 });
  }
}
