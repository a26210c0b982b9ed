export {
  ConfigServerClient,
  type ConfigServerClientOptions,
  type EventSubscription,
  type SubscribeOptions,
} from './client';
export type { ServerTls } from './transport';
