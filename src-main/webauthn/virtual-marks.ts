/**
 * What makes a virtual key unmistakable wherever its public data ends up (journal, bundle,
 * verifier output). describeAuthenticator checks these before anything else.
 */
export const VIRTUAL_AAGUID = Buffer.from('BGVIRTUAL-NOT-HW', 'ascii');
export const VIRTUAL_AAGUID_HEX = VIRTUAL_AAGUID.toString('hex');
export const VIRTUAL_CERT_SUBJECT_CN = 'Breakglass VIRTUAL authenticator - NOT HARDWARE';
export const VIRTUAL_PRODUCT = 'Breakglass VIRTUAL key (drill only, NOT HARDWARE)';
export const VIRTUAL_MANUFACTURER = 'Breakglass (virtual)';
