import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter } from 'react-router';
import { App } from './app';
import { SessionProvider } from './auth/session';
import { UserStatusProvider } from './components/member-status';

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root');

createRoot(root).render(
  <StrictMode>
    <BrowserRouter>
      <SessionProvider>
        <UserStatusProvider>
          <App />
        </UserStatusProvider>
      </SessionProvider>
    </BrowserRouter>
  </StrictMode>,
);
