import type { BusMessage, PayloadSchema } from '@patternmesh/bus';
import { decodePattern, extendPattern, laneName, MessageProps } from '@patternmesh/pattern';
import type { Router } from '@patternmesh/route';
import type { StageOutput } from '@patternmesh/service-kit';
import { AttributeKeys, attributesOf, forwardProperties, pipelineMetrics } from '@patternmesh/telemetry';

/**
 * classified → destination topics. The input is acked only after every destination (the archive
 * included) has accepted the pattern; if one fails, the whole message is retried — subscribers may
 * see a duplicate, which the stable pattern id lets them drop — but nothing is lost.
 *
 * What goes to a destination is the encoded `Pattern` itself (no wrapper), so `schema` — the
 * Pattern's PROTOBUF_NATIVE schema — describes it exactly; a destination whose registry holds an
 * incompatible schema refuses the publish, and the message is retried, then dead-lettered.
 */
export class RouteStage {
  private readonly metrics = pipelineMetrics();
  /** Each transform's outputs → when the gateway accepted the pattern (ms), read back once published. */
  private readonly receivedAt = new WeakMap<readonly StageOutput[], number>();

  constructor(
    private readonly router: () => Router,
    private readonly schema?: PayloadSchema,
  ) {}

  transform(message: BusMessage): StageOutput[] {
    const pattern = decodePattern(message.payload);
    const { route } = this.router().decide(pattern);
    const payload = extendPattern(message.payload, pattern, { route });
    const properties = forwardProperties(message.properties, {
      [MessageProps.stage]: 'route',
      [MessageProps.lane]: laneName(route.lane),
      [MessageProps.category]: pattern.classification?.category ?? '',
      [MessageProps.priority]: String(pattern.classification?.priority ?? 0),
    });
    const outgoing = {
      key: message.key,
      payload,
      properties,
      eventTime: message.eventTime,
      ...(this.schema ? { schema: this.schema } : {}),
    };
    const outputs = route.destinations.map((topic) => ({ topic, message: outgoing }));
    if (pattern.receivedAt) this.receivedAt.set(outputs, pattern.receivedAt.getTime());
    return outputs;
  }

  /** Counted once every destination accepted the pattern: routed means delivered to its lane. */
  published(outputs: readonly StageOutput[]): void {
    const lane = outputs[0]?.message.properties?.[MessageProps.lane];
    if (lane === undefined) return;
    const attributes = attributesOf(AttributeKeys.lane, lane);
    this.metrics.routed.add(1, attributes);
    const receivedAt = this.receivedAt.get(outputs);
    if (receivedAt !== undefined)
      this.metrics.routeLatency.record(Math.max(0, Date.now() - receivedAt) / 1000, attributes);
  }
}
