import { useState, type FormEvent } from 'react';
import { api, ApiError } from '../api.js';

export function LoginPage({ onLoggedIn }: { onLoggedIn: () => void }) {
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      await api.post('/api/v1/auth/login', { username, password });
      onLoggedIn();
    } catch (failure) {
      setError(failure instanceof ApiError && failure.code === 'PF_ERR_AUTH_FAILED' ? 'User name or password is wrong.' : String(failure));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="login" onSubmit={(event) => void submit(event)}>
      <h1>Plantfabric</h1>
      <label>
        User
        <input autoFocus autoComplete="username" value={username} onChange={(event) => setUsername(event.target.value)} />
      </label>
      <label>
        Password
        <input type="password" autoComplete="current-password" value={password} onChange={(event) => setPassword(event.target.value)} />
      </label>
      {error !== undefined && <p className="error">{error}</p>}
      <button type="submit" disabled={busy || username === ''}>Log in</button>
      <p className="hint">Demo accounts print on the console at start (e.g. ada / demo-ada).</p>
    </form>
  );
}
