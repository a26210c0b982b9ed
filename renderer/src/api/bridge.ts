import type { PreloadBridge } from '../../../shared/bridge';

declare global {
  interface Window {
    /** The preload bridge, present in the desktop shell only (the web host has none). */
    siteshift?: PreloadBridge;
  }
}
