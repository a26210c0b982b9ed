export {
  ConfigServerClient,
  type ConfigServerClientOptions,
  type EventSubscription,
  type SubscribeOptions,
} from './client';
export { normaliseThumbprint, probeCertificate, type ServerTls } from './transport';
