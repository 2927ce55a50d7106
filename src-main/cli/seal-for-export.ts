import path from 'node:path';
import { APP_VERSION } from '../ceremony/app-version';
import { createCeremonyService } from '../ceremony/ceremony-service';
import { VIRTUAL_KEY_STATE_FILE } from '../use-cases/run-drill';
import { sealIfNeeded } from '../ceremony/seal-ceremony';
import type { LoadedConfig } from '../config/load-config';
import { isDrillKey } from '../hardware-key/enrolment/enrolment-slot';
import { listEnrolledKeys } from '../hardware-key/enrolment/enrolment-store';
import { createKeyService } from '../hardware-key/key-service';
import { createNodeHidDiscovery } from '../hardware-key/transport/node-hid-transport';
import { recordedSignCount } from '../hardware-key/enrolment/recorded-sign-count';
import { createVirtualAuthenticator } from '../hardware-key/virtual/virtual-authenticator';
import { virtualDiscovery } from '../hardware-key/virtual/virtual-discovery';
import type { Journal } from '../journal/journal';
import type { CliIo } from './command';

/**
 * The closing tap of `breakglass export`: a drill is sealed with its virtual key, a real
 * ceremony with the operator's enrolled hardware key (the prompt goes to stderr). Returns why it
 * could not be sealed, or null; export goes on either way, so nothing recorded is held back.
 */
export async function sealForExport(o: {
  journal: Journal;
  ceremonyId: string;
  dataDir: string;
  loaded: LoadedConfig;
  io: CliIo;
}): Promise<string | null> {
  const drill = o.journal.entries(o.ceremonyId)[0]?.payload.drill === true;
  const rpId = o.loaded.config.keys.rp_id;
  const keys = createKeyService({
    discover: drill
      ? virtualDiscovery(
          createVirtualAuthenticator({ touchDelayMs: 5, statePath: path.join(o.dataDir, VIRTUAL_KEY_STATE_FILE) }),
        )
      : createNodeHidDiscovery(),
    rpId,
    recordedSignCount: (k) => recordedSignCount(o.journal.db, k),
    onEvent: (e) => {
      if (e.type === 'touch-needed')
        o.io.err('Touch your key to seal the ceremony (the closing tap signs everything recorded since sign-out).');
    },
  });
  try {
    const service = createCeremonyService({
      journal: o.journal,
      config: o.loaded.config,
      configSource: o.loaded.description,
      signer: { sign: (request) => keys.tap(request) },
      enrolledKeys: (operatorId) =>
        listEnrolledKeys(o.journal.db, operatorId).filter((k) => k.rp_id === rpId && isDrillKey(k) === drill),
      ssoProbe: () => Promise.reject(new Error('export does not probe SSO')),
      appVersion: APP_VERSION,
    });
    const sealed = await sealIfNeeded(service, o.ceremonyId);
    return sealed.ok ? null : sealed.error.message;
  } finally {
    keys.close();
  }
}
