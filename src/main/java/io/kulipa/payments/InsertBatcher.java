package io.kulipa.payments;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Group commit for new payments: requests that arrive together are written in one
 * transaction, so a burst pays for one commit (one fsync) instead of one each. Each caller
 * still waits for the commit before it answers. With nothing else queued a request goes
 * alone and at once, so a quiet gateway adds no latency.
 */
public final class InsertBatcher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(InsertBatcher.class);
    private static final int MAX_BATCH_PAYMENTS = 128;
    private static final int QUEUE_CAPACITY_PAYMENTS = 20_000;
    private static final Duration SHUTDOWN_WAIT = Duration.ofSeconds(5);

    /** The gateway has more new payments queued than it accepts; the caller may retry. */
    public static final class Overloaded extends RuntimeException {
        Overloaded() {
            super("too many payments waiting to be written; try again shortly");
        }
    }

    private record Queued(PaymentStore.NewPayment payment, CompletableFuture<PaymentStore.Inserted> result) {
    }

    private final PaymentStore store;
    private final BlockingQueue<Queued> queue = new ArrayBlockingQueue<>(QUEUE_CAPACITY_PAYMENTS);
    private final List<Thread> writers = new ArrayList<>();
    private volatile boolean running = true;

    public InsertBatcher(PaymentStore store, int writerThreads) {
        this.store = store;
        for (int i = 0; i < writerThreads; i++) {
            writers.add(Thread.ofVirtual().name("payment-writer-" + i).start(this::run));
        }
    }

    /** Writes one payment with whatever else is waiting, and returns once it is committed. */
    public PaymentStore.Inserted insert(PaymentStore.NewPayment payment) {
        CompletableFuture<PaymentStore.Inserted> result = new CompletableFuture<>();
        if (!running || !queue.offer(new Queued(payment, result))) {
            throw new Overloaded();
        }
        return result.join();
    }

    private void run() {
        List<Queued> batch = new ArrayList<>(MAX_BATCH_PAYMENTS);
        while (running || !queue.isEmpty()) {
            try {
                Queued first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, MAX_BATCH_PAYMENTS - 1);
                write(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } finally {
                batch.clear();
            }
        }
    }

    private void write(List<Queued> batch) {
        try {
            List<PaymentStore.Inserted> results = store.insertAll(batch.stream().map(Queued::payment).toList());
            for (int i = 0; i < batch.size(); i++) {
                batch.get(i).result().complete(results.get(i));
            }
        } catch (RuntimeException e) {
            if (batch.size() == 1) {
                batch.getFirst().result().completeExceptionally(e);
                return;
            }
            // Nothing of the batch was written; write each alone so one bad payment fails alone.
            LOG.warn("a batch of {} payments failed; writing them one by one: {}", batch.size(), e.toString());
            for (Queued q : batch) {
                write(List.of(q));
            }
        }
    }

    @Override
    public void close() {
        running = false;
        for (Thread writer : writers) {
            try {
                writer.join(SHUTDOWN_WAIT.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        Queued left;
        while ((left = queue.poll()) != null) {
            left.result().completeExceptionally(new Overloaded());
        }
    }
}
