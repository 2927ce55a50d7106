/**
 * The version recorded in every ceremony_started entry. Kept in step with package.json by a test
 * (test/main/ceremony/app-version.test.ts): the tsconfig projects do not include package.json.
 */
export const APP_VERSION = '0.1.0';
