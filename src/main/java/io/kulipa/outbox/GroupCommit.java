package io.kulipa.outbox;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import io.kulipa.logging.Failures;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Group commit: writes that arrive together are done in one transaction, so a burst pays for
 * one commit (one fsync) instead of one each, and a hot row is locked once per batch instead
 * of once per write. Each caller still waits for the commit before it goes on. With nothing
 * else queued a write goes alone and at once, so a quiet gateway adds no latency.
 *
 * @param <I> one write
 * @param <O> its result
 */
public final class GroupCommit<I, O> implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(GroupCommit.class);
    private static final int MAX_BATCH_WRITES = 128;
    private static final int QUEUE_CAPACITY_WRITES = 20_000;
    private static final Duration SHUTDOWN_WAIT = Duration.ofSeconds(5);

    /** More writes are queued than the gateway accepts; the caller may retry. */
    public static final class Overloaded extends RuntimeException {
        Overloaded() {
            super("too many writes waiting to be committed; try again shortly");
        }
    }

    private record Queued<I, O>(I write, CompletableFuture<O> result) {
    }

    private final String name;
    private final java.util.function.Function<List<I>, List<O>> writeAll;
    private final java.util.function.Predicate<RuntimeException> failsEveryWrite;
    private final BlockingQueue<Queued<I, O>> queue = new ArrayBlockingQueue<>(QUEUE_CAPACITY_WRITES);
    private final List<Thread> writers = new ArrayList<>();
    private volatile boolean running = true;

    /** @param writeAll writes a batch in one transaction, answering for each write in order */
    public GroupCommit(String name, java.util.function.Function<List<I>, List<O>> writeAll, int writerThreads) {
        this(name, writeAll, writerThreads, e -> false);
    }

    /**
     * @param failsEveryWrite tells a failure that no write could escape (the database cannot be
     *                        reached): the batch and every write queued behind it fail at once with it,
     *                        instead of each waiting its turn to fail the same way
     */
    public GroupCommit(String name, java.util.function.Function<List<I>, List<O>> writeAll, int writerThreads,
                       java.util.function.Predicate<RuntimeException> failsEveryWrite) {
        this.name = name;
        this.writeAll = writeAll;
        this.failsEveryWrite = failsEveryWrite;
        for (int i = 0; i < writerThreads; i++) {
            writers.add(Thread.ofVirtual().name(name + "-writer-" + i).start(this::run));
        }
    }

    /** Writes with whatever else is waiting, and returns once that is committed. */
    public O write(I write) {
        CompletableFuture<O> result = new CompletableFuture<>();
        if (!running || !queue.offer(new Queued<>(write, result))) {
            throw new Overloaded();
        }
        try {
            return result.join();
        } catch (java.util.concurrent.CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
    }

    private void run() {
        List<Queued<I, O>> batch = new ArrayList<>(MAX_BATCH_WRITES);
        while (running || !queue.isEmpty()) {
            try {
                Queued<I, O> first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, MAX_BATCH_WRITES - 1);
                write(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } finally {
                batch.clear();
            }
        }
    }

    private void write(List<Queued<I, O>> batch) {
        try {
            List<O> results = writeAll.apply(batch.stream().map(Queued::write).toList());
            for (int i = 0; i < batch.size(); i++) {
                batch.get(i).result().complete(results.get(i));
            }
        } catch (RuntimeException e) {
            if (failsEveryWrite.test(e)) {
                batch.forEach(q -> q.result().completeExceptionally(e));
                List<Queued<I, O>> behind = new ArrayList<>();
                queue.drainTo(behind);
                behind.forEach(q -> q.result().completeExceptionally(e));
                return;
            }
            if (batch.size() == 1) {
                batch.getFirst().result().completeExceptionally(e);
                return;
            }
            // Nothing of the batch was written; write each alone so one bad write fails alone.
            // The failure's classes only: its message can carry the bound values of the batch.
            LOG.warn("a batch of {} {} writes failed; writing them one by one: {}", batch.size(), name,
                    Failures.describe(e));
            for (Queued<I, O> q : batch) {
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
        Queued<I, O> left;
        while ((left = queue.poll()) != null) {
            left.result().completeExceptionally(new Overloaded());
        }
    }
}
