/**
 * Clock: the reseller's sandbox time (GET /v1/sandbox/clock), `Advance` by days and hours
 * (POST /v1/sandbox/clock/advance) and `Reset` to real time (POST /v1/sandbox/clock/reset).
 * Everything time-based follows this clock: expiry, activation deadlines, event times.
 */
import { useState } from 'preact/hooks';
import { call } from '../api';
import { ErrorBox } from '../components/ErrorBox';
import { instant } from '../format';
import { useAction, useLoad } from '../hooks';
import type { SandboxClock } from '../types';

function offsetText(seconds: number): string {
  if (seconds === 0) return 'at real time';
  const days = Math.floor(seconds / 86_400);
  const hours = Math.floor((seconds % 86_400) / 3600);
  const minutes = Math.floor((seconds % 3600) / 60);
  const parts = [
    days && `${days} day${days === 1 ? '' : 's'}`,
    hours && `${hours} h`,
    minutes && `${minutes} min`,
  ].filter(Boolean);
  return `${parts.join(' ') || `${seconds} s`} ahead of real time`;
}

/**
 * A whole number as typed, or the text itself so that the API names what is wrong (typed as
 * a number for the client: the server's validation, not the console's, is what users learn).
 */
function whole(text: string): number {
  return (/^\d+$/.test(text.trim()) ? Number(text.trim()) : text) as number;
}

export function ClockPage() {
  const clock = useLoad((signal) => call((sandbox) => sandbox.getClock(), { signal }), [], 30_000);
  const [shown, setShown] = useState<SandboxClock | undefined>(undefined);
  const [days, setDays] = useState('1');
  const [hours, setHours] = useState('0');
  const action = useAction();
  const current = shown ?? clock.data;

  const advance = async (event: Event) => {
    event.preventDefault();
    const result = await action.run(() =>
      call((sandbox) => sandbox.advanceClock({ days: whole(days || '0'), hours: whole(hours || '0') })),
    );
    if (result) setShown(result);
  };
  const reset = async () => {
    const result = await action.run(() => call((sandbox) => sandbox.resetClock()));
    if (result) setShown(result);
  };

  return (
    <>
      <section class="card" aria-labelledby="now-heading">
        <h2 id="now-heading">Sandbox time</h2>
        {current ? (
          <p aria-live="polite">
            <strong data-testid="clock-now">{instant(current.now)}</strong>{' '}
            <span class="muted" data-testid="clock-offset">
              ({offsetText(current.offsetSeconds)}, offset {current.offsetSeconds} s)
            </span>
          </p>
        ) : (
          <p class="muted">Reading the clock…</p>
        )}
        <ErrorBox error={clock.error} />
      </section>

      <h2>Advance</h2>
      <p>
        Moves this reseller's clock forward (at least 1 hour, at most 400 days a call). eSIMs past their{' '}
        <code>expiresOn</code> or activation deadline are terminated when next read. Other resellers' clocks never move.
      </p>
      <form onSubmit={(e) => void advance(e)} aria-label="Advance the clock">
        <label>
          Days
          <input
            name="days"
            type="number"
            min={0}
            max={400}
            step={1}
            size={6}
            value={days}
            onInput={(e) => setDays(e.currentTarget.value)}
          />
        </label>
        <label>
          Hours
          <input
            name="hours"
            type="number"
            min={0}
            max={9600}
            step={1}
            size={6}
            value={hours}
            onInput={(e) => setHours(e.currentTarget.value)}
          />
        </label>
        <button type="submit" disabled={action.busy}>
          Advance
        </button>
      </form>
      <h2>Reset</h2>
      <p>Puts the clock back to real time. What the clock already changed (eSIMs it terminated) stays changed.</p>
      <button type="button" class="secondary" disabled={action.busy} onClick={() => void reset()}>
        Reset
      </button>
      <ErrorBox error={action.error} />
    </>
  );
}
