/**
 * A port for a test or bench server to listen on (the next one is free too), below Linux's ephemeral range
 * (32768–60999): the run's own outgoing connections take their ports from that range, and a port one of
 * them holds refuses a listener (EADDRINUSE). scripts/smoke-start.sh picks its ports the same way.
 */
export function listenPort(): number {
  return 20_000 + Math.floor(Math.random() * 12_000);
}
