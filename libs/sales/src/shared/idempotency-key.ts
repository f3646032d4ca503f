/** The header that makes a repeated command a retry: answered, not appended again. */
export const IDEMPOTENCY_KEY = {
  name: 'Idempotency-Key',
  required: false,
  description: 'the same key again is a retry: answered, not appended',
};
