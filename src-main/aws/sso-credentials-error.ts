/** Marks failures of the SSO credential provider, so the SSO side and the STS side are told apart. */
export class SsoCredentialsError extends Error {
  constructor(override readonly cause: unknown) {
    super((cause as Error)?.message ?? String(cause));
    this.name = (cause as Error)?.name ?? 'Error';
  }
}
