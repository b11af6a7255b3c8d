import { timeLeft } from '../../web/src/format';

// The inbox's time left, from a fixed clock.
const now = Date.parse('2026-01-01T12:00:00Z');
const inSeconds = (seconds: number): string => new Date(now + seconds * 1000).toISOString();

test('the time left before a deadline reads in the largest two units, and "Timed out" once it has passed', () => {
  expect(timeLeft(inSeconds(24 * 3600 - 30), now)).toBe('Times out in 23h 59m');
  expect(timeLeft(inSeconds(24 * 3600 - 0.4), now)).toBe('Times out in 23h 59m');
  expect(timeLeft(inSeconds(2 * 86_400 + 3 * 3600), now)).toBe('Times out in 2d 3h');
  expect(timeLeft(inSeconds(250), now)).toBe('Times out in 4m 10s');
  expect(timeLeft(inSeconds(12), now)).toBe('Times out in 12s');
  expect(timeLeft(inSeconds(0), now)).toBe('Timed out');
  expect(timeLeft(inSeconds(-90), now)).toBe('Timed out');
});
