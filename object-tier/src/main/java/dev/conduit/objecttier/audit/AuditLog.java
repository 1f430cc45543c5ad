package dev.conduit.objecttier.audit;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

import dev.conduit.blocklayout.CommitCompanion;
import dev.conduit.blocklayout.ObjectRecord;
import dev.conduit.blocklayout.ObjectStore;
import dev.conduit.core.ConduitException;
import dev.conduit.core.ErrorCode;

/**
 * The append side of the audit log, the store's {@link CommitCompanion}: entries are linked into
 * the chain by the store's group-commit leader and stored as one batch object per journal batch,
 * journaled with the writes they describe. Two ways in:
 *
 * <ul>
 * <li>{@link #note}: a PUT hands a note to its own commit; the leader builds the entry from the
 *     published record (version id, ETag) and the entry is durable exactly when the object is:
 *     one data flush and one journal flush for both, not two commits in a row.</li>
 * <li>{@link #append}: everything else (failed requests, deletes, bucket operations) queues an
 *     {@link AuditEvent}; one writer thread commits whatever has queued as notes on their own
 *     (a group commit), and completes each future once its entry is durable.</li>
 * </ul>
 *
 * <pre>{@code
 * try (AuditLog log = AuditLog.open(store))
 * {
 *     log.append(event).get();        // durable from here on
 * }
 * }</pre>
 *
 * <p>A failed batch fails its entries (futures, notes) and takes their sequence numbers back, so
 * the stored chain never has a gap. Batches are never overwritten (the store refuses a batch whose
 * key exists).
 *
 * <p>Threading: {@link #append} and {@link #note} from any thread ({@code append} blocks while the
 * queue is full, which slows mutating requests rather than losing entries); the chain is linked
 * only by the store's group-commit leader, one batch at a time.
 */
public final class AuditLog implements AutoCloseable, CommitCompanion
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
    // Linked only by the store's group-commit leader (one at a time, handed over under its lock).
    private long headSeq;
    private String headHash;
    private Companion sealed;
    private List<Object> sealedNotes;
    private List<AuditEntry> sealedEntries;

    private record Pending(AuditEvent event, CompletableFuture<AuditEntry> done)
    {
    }

    /**
     * A PUT's note for its own commit ({@link dev.conduit.blocklayout.PutSession#commit(long, byte[],
     * dev.conduit.blocklayout.CommitCondition, dev.conduit.blocklayout.ObjectMetadata, Object)}): the
     * entry is built from the record the commit publishes and stored in the same journal batch.
     */
    public static final class Note
    {
        private final Function<ObjectRecord, AuditEvent> event;
        private volatile AuditEntry entry;

        private Note(final Function<ObjectRecord, AuditEvent> event)
        {
            this.event = event;
        }

        /** @return the stored entry once the commit that carried this note returned, or null when it was not stored. */
        public AuditEntry entry()
        {
            return entry;
        }
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
        store.attachCompanion(log);
        log.writer.start();
        return log;
    }

    /**
     * @param event what the entry says, given the record the commit publishes (called by the
     *              store's commit leader: quick, no blocking, no store calls).
     * @return a note to hand to the PUT's commit; {@link Note#entry()} tells afterwards whether
     *         the entry is stored (not when the commit failed or its condition refused it).
     */
    public Note note(final Function<ObjectRecord, AuditEvent> event)
    {
        return new Note(event);
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
        detach();
    }

    private void detach()
    {
        try
        {
            store.attachCompanion(null);
        }
        catch (final ConduitException e)
        {
            // A closed store has no companion to detach.
            LOG.log(System.Logger.Level.DEBUG, "audit log not detached: " + e.getMessage());
        }
    }

    @Override
    public Companion seal(final List<Noted> noted)
    {
        final List<Object> notes = new ArrayList<>(noted.size());
        final List<AuditEntry> entries = new ArrayList<>(noted.size());
        long seq = headSeq;
        String prev = headHash;
        for (final Noted n : noted)
        {
            final AuditEvent event = n.note() instanceof Note note ? note.event.apply(n.record()) : ((Pending)n.note()).event();
            final AuditEntry entry = AuditEntry.seal(++seq, event, prev);
            notes.add(n.note());
            entries.add(entry);
            prev = entry.hash();
        }
        sealed = new Companion(AuditKeys.batch(headSeq + 1), AuditCodec.encode(entries));
        sealedNotes = notes;
        sealedEntries = entries;
        return sealed;
    }

    @Override
    public void settled(final Companion companion, final RuntimeException failure)
    {
        if (companion != sealed)
        {
            return;
        }
        final List<Object> notes = sealedNotes;
        final List<AuditEntry> entries = sealedEntries;
        sealed = null;
        sealedNotes = null;
        sealedEntries = null;
        if (failure != null)
        {
            failedBatches.incrementAndGet();
            LOG.log(System.Logger.Level.ERROR, "audit batch of " + entries.size() + " entries not stored: " + failure);
            return;
        }
        headSeq = entries.getLast().seq();
        headHash = entries.getLast().hash();
        written.addAndGet(entries.size());
        for (int i = 0; i < notes.size(); i++)
        {
            if (notes.get(i) instanceof Note note)
            {
                note.entry = entries.get(i);
            }
            else
            {
                ((Pending)notes.get(i)).done().complete(entries.get(i));
            }
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
        try
        {
            store.commitNotes(batch);
        }
        catch (final RuntimeException e)
        {
            // The leader completed the futures of a batch that stored; one that did not is failed here.
            for (final Pending pending : batch)
            {
                pending.done().completeExceptionally(e);
            }
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
