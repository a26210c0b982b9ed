import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import '@xyflow/react/dist/style.css';
import './styles.css';
import { App } from './App';
import { createApi } from './api/client';
import { t, warmUp } from './i18n';
import { useConsole } from './store';

async function boot() {
  // In a browser, check the token before opening the socket: a WebSocket cannot report a 401.
  if (!window.siteshift) {
    const token =
      new URLSearchParams(window.location.search).get('token') ?? sessionStorage.getItem('siteshift.token');
    const res = await fetch(`/api/health?token=${encodeURIComponent(token ?? '')}`).catch(() => null);
    if (!res || res.status === 401) {
      useConsole.setState({
        fatal: res ? t('shell.badToken') : t('shell.noHost'),
      });
      return;
    }
  }
  const api = createApi((transport) => useConsole.getState().setTransport(transport));
  warmUp();
  await useConsole.getState().start(api);
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
void boot();
