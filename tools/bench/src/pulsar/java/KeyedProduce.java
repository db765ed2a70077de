// The Java side of the bench's keyed round: the official Java client producing with key-based batching
// (BatcherBuilder.KEY_BASED) over interleaved keys. pulsar-perf 4.0.8 cannot: it has no batcher-builder
// option, and its key modes (autoIncrement, random) give every message its own key. Run as a
// single-file source program on pulsar-perf's classpath (see ../bench.ts):
//   java -cp '<pulsar-testclient lib>/*' KeyedProduce.java <url> <topic> <messages> <size> <keys>
//        <batchDelayMs> <batchMaxMessages> <batchMaxBytes> <maxPending>
// Prints one JSON line {"msgPerSec":…,"seconds":…}, timed from the created producer to the last receipt
// (the same window as ts-worker.ts).
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.pulsar.client.api.BatcherBuilder;
import org.apache.pulsar.client.api.Producer;
import org.apache.pulsar.client.api.PulsarClient;

public class KeyedProduce {
  public static void main(String[] args) throws Exception {
    String url = args[0];
    String topic = args[1];
    int messages = Integer.parseInt(args[2]);
    int size = Integer.parseInt(args[3]);
    int keys = Integer.parseInt(args[4]);
    int delayMs = Integer.parseInt(args[5]);
    int maxMessages = Integer.parseInt(args[6]);
    int maxBytes = Integer.parseInt(args[7]);
    int maxPending = Integer.parseInt(args[8]);
    String[] keyNames = new String[keys];
    for (int k = 0; k < keys; k++) keyNames[k] = "tenant-" + (k % 10) + "/source-" + (k % 7) + "/entity-" + k;
    byte[] payload = new byte[size];
    java.util.Arrays.fill(payload, (byte) 0x61);
    try (PulsarClient client = PulsarClient.builder().serviceUrl(url).build()) {
      Producer<byte[]> producer = client.newProducer()
          .topic(topic)
          .enableBatching(true)
          .batcherBuilder(BatcherBuilder.KEY_BASED)
          .batchingMaxPublishDelay(delayMs, TimeUnit.MILLISECONDS)
          .batchingMaxMessages(maxMessages)
          .batchingMaxBytes(maxBytes)
          .maxPendingMessages(maxPending)
          .blockIfQueueFull(true)
          .sendTimeout(0, TimeUnit.SECONDS)
          .create();
      // At most maxPending outstanding, as the TypeScript worker's backpressure.
      Semaphore room = new Semaphore(maxPending);
      AtomicReference<Throwable> failed = new AtomicReference<>();
      long started = System.nanoTime();
      CompletableFuture<?> last = null;
      for (int i = 0; i < messages; i++) {
        room.acquire();
        last = producer.newMessage().key(keyNames[i % keys]).value(payload).sendAsync()
            .whenComplete((id, e) -> {
              if (e != null) failed.compareAndSet(null, e);
              room.release();
            });
      }
      producer.flush();
      room.acquire(maxPending);
      if (last != null) last.join();
      double seconds = (System.nanoTime() - started) / 1e9;
      if (failed.get() != null) throw new RuntimeException(failed.get());
      producer.close();
      System.out.println("{\"msgPerSec\":" + (messages / seconds) + ",\"seconds\":" + seconds + "}");
    }
  }
}
