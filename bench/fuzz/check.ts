/** What every fuzzed response must satisfy: below 500, and every error in the one error shape. */

export interface FuzzResponse {
  status: number;
  contentType: string;
  body: string;
}

/** Why a response fails the contract, or undefined when it holds. */
export function contractViolation(method: string, response: FuzzResponse): string | undefined {
  if (response.status >= 500) return `status ${response.status}`;
  if (response.status < 400 || method === 'HEAD') return undefined;
  if (!response.contentType.toLowerCase().startsWith('application/json'))
    return `error with content-type "${response.contentType}"`;
  let parsed: unknown;
  try {
    parsed = JSON.parse(response.body);
  } catch {
    return 'error body is not JSON';
  }
  const error = (parsed as { error?: Record<string, unknown> } | null)?.error;
  const shaped =
    error !== null &&
    typeof error === 'object' &&
    typeof error.code === 'string' &&
    typeof error.message === 'string' &&
    typeof error.requestId === 'string' &&
    Object.keys(parsed as object).length === 1;
  if (!shaped)
    return `error body not in the shape {error:{code,message,requestId}}: ${response.body.slice(0, 120)}`;
  if (/\bat .+\.(ts|js):\d+/.test(response.body)) return 'error body carries a stack trace';
  return undefined;
}
