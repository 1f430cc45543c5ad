package dev.conduit.objecttier.audit;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import dev.conduit.blocklayout.CommitCondition;
import dev.conduit.blocklayout.ObjectMetadata;
import dev.conduit.blocklayout.ObjectStore;
import dev.conduit.blocklayout.PutSession;
import dev.conduit.core.ConduitException;
import dev.conduit.core.ErrorCode;

/**
 * The append side of the audit log: requests hand in {@link AuditEvent}s, one writer thread links
 * them into the chain and stores whatever has queued as one batch object per store commit (a group
 * commit: under load many requests share one write), then completes each request's future once
 * its entry is durable. The server answers a mutating request only after that, so every
 * acknowledged mutation has its entry.
 *
 * <pre>{@code
 * try (AuditLog log = AuditLog.open(store))
 * {
 *     log.append(event).get();        // durable from here on
 * }
 * }</pre>
 *
 * <p>A failed batch write fails the futures of its entries and takes their sequence numbers
 * back, so the stored chain never has a gap. Batches are never overwritten ({@code IF_ABSENT}).
 *
 * <p>Threading: {@link #append} from any thread (it blocks while the queue is full, which slows
 * mutating requests rather than losing entries); everything else happens on the writer thread.
 */
public final class AuditLog implements AutoCloseable
{
    /** Entries queued at most before {@link #append} blocks. */
    public static final int QUEUE_CAPACITY = 8192;
    /** Entries per batch object at most. */
    static final int MAX_BATCH = 1024;

    private static final System.Logger LOG = System.getLogger("conduit.audit");
    private static final Pending STOP = new Pending(null, null);

    private final ObjectStore store;
    private final BlockingQueue<Pending> queue = new ArrayBlockingQueue<>(QUEUE_CAPACITY);
    private final Thread writer;
    private final AtomicLong written = new AtomicLong();
    private final AtomicLong failedBatches = new AtomicLong();
    private volatile boolean closed;
    private long headSeq;
    private String headHash;

    private record Pending(AuditEvent event, CompletableFuture<AuditEntry> done)
    {
    }

    private AuditLog(final ObjectStore store, final long headSeq, final String headHash)
    {
        this.store = store;
        this.headSeq = headSeq;
        this.headHash = headHash;
        this.writer = Thread.ofPlatform().name("conduit-audit").daemon(true).unstarted(this::run);
    }

    /**
     * Finds the end of the stored chain and starts the writer.
     *
     * @param store the store to keep the log in.
     * @return the log, appending after the last stored entry.
     * @throws ConduitException {@code CORRUPT} when the last batch cannot be read: starting a new
     *                          chain over it would hide whatever happened to it.
     */
    public static AuditLog open(final ObjectStore store)
    {
        final AuditBatch last = new AuditReader(store).lastBatch().orElse(null);
        long seq = 0;
        String hash = AuditEntry.GENESIS;
        if (last != null)
        {
            if (last.entries().isEmpty())
            {
                throw new ConduitException(ErrorCode.CORRUPT, "the last audit batch " + last.storeKey() + " is empty");
            }
            final AuditEntry tail = last.entries().getLast();
            seq = tail.seq();
            hash = tail.hash();
        }
        final AuditLog log = new AuditLog(store, seq, hash);
        log.writer.start();
        return log;
    }

    /**
     * @param event a request that changed (or tried to change) something.
     * @return completes with the stored entry once it is durable, or exceptionally when it could not
     *         be stored ({@code SHUTDOWN} after {@link #close()}).
     * @throws InterruptedException when interrupted while the queue is full.
     */
    public CompletableFuture<AuditEntry> append(final AuditEvent event) throws InterruptedException
    {
        final CompletableFuture<AuditEntry> done = new CompletableFuture<>();
        if (closed)
        {
            done.completeExceptionally(new ConduitException(ErrorCode.SHUTDOWN, "audit log closed"));
            return done;
        }
        queue.put(new Pending(event, done));
        return done;
    }

    /** @return entries stored since open. */
    public long entriesWritten()
    {
        return written.get();
    }

    /** @return batch writes that failed since open (their requests were told). */
    public long failedBatches()
    {
        return failedBatches.get();
    }

    /** Stores what is queued, stops the writer and fails later appends; the store stays open. */
    @Override
    public void close()
    {
        if (closed)
        {
            return;
        }
        closed = true;
        try
        {
            queue.put(STOP);
            writer.join(TimeUnit.SECONDS.toMillis(30));
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
        }
    }

    private void run()
    {
        final List<Pending> batch = new ArrayList<>(MAX_BATCH);
        boolean stopping = false;
        while (!stopping)
        {
            try
            {
                batch.add(queue.take());
            }
            catch (final InterruptedException e)
            {
                return;
            }
            queue.drainTo(batch, MAX_BATCH - 1);
            final int stop = indexOfStop(batch);
            if (stop >= 0)
            {
                stopping = true;
                batch.remove(stop);
                queue.drainTo(batch);
            }
            if (!batch.isEmpty())
            {
                store(batch);
            }
            batch.clear();
        }
        failRemaining();
    }

    private static int indexOfStop(final List<Pending> batch)
    {
        for (int i = 0; i < batch.size(); i++)
        {
            if (batch.get(i) == STOP)
            {
                return i;
            }
        }
        return -1;
    }

    private void store(final List<Pending> batch)
    {
        final List<AuditEntry> entries = new ArrayList<>(batch.size());
        long seq = headSeq;
        String prev = headHash;
        for (final Pending pending : batch)
        {
            final AuditEntry entry = AuditEntry.seal(++seq, pending.event(), prev);
            entries.add(entry);
            prev = entry.hash();
        }
        try
        {
            write(AuditKeys.batch(headSeq + 1), AuditCodec.encode(entries));
        }
        catch (final RuntimeException e)
        {
            failedBatches.incrementAndGet();
            LOG.log(System.Logger.Level.ERROR, "audit batch of " + batch.size() + " entries not stored: " + e);
            for (final Pending pending : batch)
            {
                pending.done().completeExceptionally(e);
            }
            return;
        }
        headSeq = seq;
        headHash = prev;
        written.addAndGet(entries.size());
        for (int i = 0; i < batch.size(); i++)
        {
            batch.get(i).done().complete(entries.get(i));
        }
    }

    private void write(final String key, final byte[] bytes)
    {
        try (PutSession put = store.openPut(key, ObjectMetadata.NONE, bytes.length))
        {
            put.append(bytes, 0, bytes.length);
            put.commit(bytes.length, null, CommitCondition.IF_ABSENT);
        }
    }

    private void failRemaining()
    {
        final List<Pending> left = new ArrayList<>();
        queue.drainTo(left);
        for (final Pending pending : left)
        {
            if (pending != STOP)
            {
                pending.done().completeExceptionally(new ConduitException(ErrorCode.SHUTDOWN, "audit log closed"));
            }
        }
    }
}
