import { invalid } from '@pm/shared/ddd';

/**
 * The shape of a webhook URL: absolute http(s), no credentials, at most 2,000 characters, as the contract says. Only
 * the shape — whether its host may be reached is the SSRF guard's question, asked at connection time.
 */
export const MAX_WEBHOOK_URL_LENGTH = 2000;
const SHAPE = /^https?:\/\/[^\s/?#@]+(?::[0-9]{1,5})?(?:[/?#][^\s]*)?$/;

export function webhookUrlMustBeValid(value: string): string {
  if (typeof value !== 'string' || value.length > MAX_WEBHOOK_URL_LENGTH || !SHAPE.test(value)) {
    throw invalid('WEBHOOK_URL_INVALID', 'An absolute http or https URL without credentials, at most 2,000 characters');
  }
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw invalid('WEBHOOK_URL_INVALID', 'An absolute http or https URL without credentials, at most 2,000 characters');
  }
  if (url.username !== '' || url.password !== '' || url.hostname === '') throw invalid('WEBHOOK_URL_INVALID', 'A URL without credentials, with a host');
  return value;
}
