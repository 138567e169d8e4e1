import type { RequestMessage } from "../../src/messaging/protocol.js";
import type { Sender, Transport } from "../../src/messaging/rpc.js";

type Handler = (message: unknown, sender: Sender) => Promise<unknown> | undefined;

/**
 * Two connected transports in memory, for tests: what one side sends reaches the other side's
 * listeners, never its own, as with the runtime's messages. Messages and answers travel as JSON,
 * so what would not survive the real channel does not survive here either. Like Chrome, a send
 * with no listener on the other side rejects, and one no listener answers resolves to undefined.
 */
export function memoryTransportPair(
  senders: { a?: Sender; b?: Sender } = {},
): [a: Transport, b: Transport] {
  const listeners: [Set<Handler>, Set<Handler>] = [new Set(), new Set()];

  const side = (own: 0 | 1, sender: Sender): Transport => ({
    async send(message: RequestMessage) {
      const wire: unknown = JSON.parse(JSON.stringify(message));
      // Delivery is never synchronous in a browser.
      await Promise.resolve();
      const others = [...listeners[own === 0 ? 1 : 0]];
      if (others.length === 0) throw new Error("Receiving end does not exist.");
      for (const listener of others) {
        const reply = listener(wire, { ...sender });
        if (reply !== undefined) {
          const value = await reply;
          return value === undefined ? undefined : JSON.parse(JSON.stringify(value));
        }
      }
      return undefined;
    },
    onMessage(handler) {
      listeners[own].add(handler);
      return () => listeners[own].delete(handler);
    },
  });

  return [side(0, senders.a ?? {}), side(1, senders.b ?? {})];
}
