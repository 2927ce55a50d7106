import { randomBytes } from 'node:crypto';

/** bg-YYYYMMDD-<8 hex>: sortable by day, unique without coordination, valid for the journal. */
export function newCeremonyId(now: Date): string {
  return `bg-${now.toISOString().slice(0, 10).replace(/-/g, '')}-${randomBytes(4).toString('hex')}`;
}
