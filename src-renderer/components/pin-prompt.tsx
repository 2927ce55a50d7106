import { useState, type FormEvent } from 'react';
import { useAppStore } from '../store';

/**
 * The key's FIDO PIN, asked only when the key or the configuration needs it. The PIN lives in this
 * input's state until it is sent once to main (key:providePin), then the field is emptied; it is
 * never put in the store, the journal or any log.
 */
export function PinPrompt() {
  const request = useAppStore((s) => s.pinRequest);
  const provide = useAppStore((s) => s.providePin);
  const [pin, setPin] = useState('');
  if (!request) return null;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const typed = pin;
    setPin('');
    if (typed.length > 0) void provide(typed);
  };
  const cancel = () => {
    setPin('');
    void provide(null);
  };
  return (
    <form
      className="touch-prompt pin-prompt"
      role="alertdialog"
      aria-labelledby="pin-title"
      aria-describedby="pin-why"
      onSubmit={submit}
      data-testid="pin-prompt"
    >
      <p id="pin-title" className="touch-title">
        Type your key&apos;s PIN
      </p>
      <p id="pin-why">{request.message}</p>
      <p>
        {request.retries} {request.retries === 1 ? 'try' : 'tries'} left before the key blocks its PIN.
      </p>
      <input
        type="password"
        autoComplete="off"
        spellCheck={false}
        maxLength={63}
        aria-label="Key PIN"
        value={pin}
        onChange={(e) => setPin(e.target.value)}
        autoFocus
        data-testid="pin-input"
      />
      <div className="actions">
        <button type="submit" className="primary" disabled={pin.length === 0}>
          Send PIN to the key
        </button>
        <button type="button" onClick={cancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
