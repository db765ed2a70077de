import { deadLetterMessage, deadLetterTopic } from './dead-letter';
import { describeError, isRetryable } from './errors';
import type {
  BatchHandler,
  BusMessage,
  MessageHandler,
  MessageOutcome,
  OutgoingMessage,
  SubscribeOptions,
} from './port';

export interface Settlement {
  ack(): void;
  nack(): void;
  publish(topic: string, message: OutgoingMessage): Promise<string>;
}

type SettleOptions = Pick<SubscribeOptions, 'topic' | 'subscription' | 'deadLetter' | 'onDeadLetter'>;

const OK: MessageOutcome = { ok: true };

/**
 * Runs the handler for one delivery and settles it. Shared by every adapter so ack, nack and
 * dead-letter decisions are identical on the embedded bus and on Pulsar.
 */
export async function runAndSettle(
  message: BusMessage,
  handler: MessageHandler,
  options: SettleOptions,
  settlement: Settlement,
): Promise<void> {
  let outcome: MessageOutcome = OK;
  try {
    await handler(message);
  } catch (error) {
    outcome = { ok: false, error };
  }
  await settleOutcome(message, outcome, options, settlement);
}

/**
 * Runs a batch handler and settles each message on its own outcome, all in the same turn: the acks of
 * a batch go out together, and only the failed messages are retried or dead-lettered.
 */
export async function runBatchAndSettle(
  messages: readonly BusMessage[],
  handler: BatchHandler,
  options: SettleOptions,
  settlements: readonly Settlement[],
): Promise<void> {
  let outcomes: readonly MessageOutcome[];
  try {
    outcomes = await handler(messages);
    if (outcomes.length !== messages.length) {
      throw new Error(`batch handler returned ${outcomes.length} outcomes for ${messages.length} messages`);
    }
  } catch (error) {
    const failed: MessageOutcome = { ok: false, error };
    outcomes = messages.map(() => failed);
  }
  // Successes are acked right here, in one loop; only failures need the (async) retry/dead-letter path.
  let failures: Array<Promise<void>> | undefined;
  for (let i = 0; i < messages.length; i++) {
    const outcome = outcomes[i]!;
    if (outcome.ok) settlements[i]!.ack();
    else (failures ??= []).push(settleOutcome(messages[i]!, outcome, options, settlements[i]!));
  }
  if (failures) await Promise.all(failures);
}

/** A per-message handler as a batch handler (adapters deliver `subscribe` as batches of one). */
export function batchOfOne(handler: MessageHandler): BatchHandler {
  return async (messages) =>
    Promise.all(
      messages.map(async (m): Promise<MessageOutcome> => {
        try {
          await handler(m);
          return OK;
        } catch (error) {
          return { ok: false, error };
        }
      }),
    );
}

/**
 * Acks a success; a failure is nacked (delivered again later) or, once the policy's limit is reached or
 * the error is not retryable, dead-lettered. The dead-letter publish must succeed before the original is
 * acked; if it fails, the message is nacked and will come back: nothing is lost.
 */
async function settleOutcome(
  message: BusMessage,
  outcome: MessageOutcome,
  options: SettleOptions,
  settlement: Settlement,
): Promise<void> {
  if (outcome.ok) {
    settlement.ack();
    return;
  }
  const policy = options.deadLetter;
  const deliveries = message.redeliveryCount + 1;
  if (!policy || (isRetryable(outcome.error) && deliveries < policy.maxDeliveries)) {
    settlement.nack();
    return;
  }
  const failure = describeError(outcome.error);
  // Named after the subscribed topic, not the partition the message came from.
  const topic = deadLetterTopic(options.topic, options.subscription, policy);
  try {
    await settlement.publish(topic, deadLetterMessage(message, options.subscription, failure));
    settlement.ack();
    options.onDeadLetter?.(message, topic, failure);
  } catch {
    settlement.nack();
  }
}
