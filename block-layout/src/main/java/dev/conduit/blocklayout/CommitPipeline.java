package dev.conduit.blocklayout;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongConsumer;

import dev.conduit.blocklayout.namespace.Namespace;
import dev.conduit.core.ConduitException;
import dev.conduit.core.ErrorCode;

/**
 * Group commit (docs/FORMAT.md section 4). Callers queue a {@link PendingCommit} and block; the
 * first caller that finds no leader becomes the leader for everything queued so far: it stamps
 * versions in queue order, writes the records as journal batches (checkpointing first when the
 * journal is full) with the attached {@link CommitCompanion}'s object last in each batch that has
 * noted writes, flushes the data those writes put on namespaces other than 0, writes and flushes
 * the batch (one flush of namespace 0 for its data and the journal), applies the records to the
 * catalog in the same order, retires replaced extents, and wakes its group.
 *
 * <p>Wake-ups are targeted: each waiting commit has its own condition, signalled when it is done
 * (by its leader) or when it is first in the queue as a batch ends (it leads the next). Waking every
 * waiter at each step, as one shared condition would, woke each queued commit twice per batch only
 * to wait again: at a few thousand small puts a second those wake-ups of virtual threads were a
 * large part of the server's context switches.
 *
 * <p>Threading: any number of callers; exactly one leader at a time, and only the leader touches
 * the journal writer, the checkpointer and the catalog's write side.
 *
 * <p>Why one class of this length: every step of a batch (admit, stamp, seal the companion, flush,
 * journal, apply, and undo on failure) reads and rewinds the same leader-only state (the open
 * journal batch, {@code nextVersion}, the group's completion marks); the self-contained parts
 * already live apart ({@link CompanionWriter}, {@link PendingCommit}, the journal writer).
 */
final class CommitPipeline
{
    /** Marks "this write does not touch the key" in {@link #currentRecord}; compared by identity. */
    private static final byte[] UNTOUCHED = new byte[0];
    private static final int ADMITTED = 0;
    private static final int REFUSED = 1;
    private static final int DEFER = 2;

    private final List<Namespace> namespaces;
    private final JournalWriter journal;
    private final CatalogIndex catalog;
    private final VersionChain chain;
    private final Allocator allocator;
    private final Reclaimer reclaimer;
    private final Checkpointer checkpointer;
    private final StoreCounters counters;
    private final long reserveSlackBytes;
    private final ReentrantLock lock = new ReentrantLock();
    /** {@link #exclusive} waits here for the leader to finish; commits wait on their own {@link PendingCommit#wakeup}. */
    private final Condition changed = lock.newCondition();
    /** The writes of the batch being journaled (leader only). */
    private final BatchWrites batchWrites = new BatchWrites();
    private final List<PendingCommit> queue = new ArrayList<>();
    private boolean leaderActive;
    private long nextVersion;
    private CompanionWriter companions;
    private ConduitException failure;

    CommitPipeline(
        final List<Namespace> namespaces,
        final JournalWriter journal,
        final VersionChain chain,
        final Allocator allocator,
        final Reclaimer reclaimer,
        final Checkpointer checkpointer,
        final StoreCounters counters,
        final long nextVersion,
        final long reserveSlackBytes)
    {
        this.namespaces = namespaces;
        this.journal = journal;
        this.catalog = chain.current();
        this.chain = chain;
        this.allocator = allocator;
        this.reclaimer = reclaimer;
        this.checkpointer = checkpointer;
        this.counters = counters;
        this.nextVersion = nextVersion;
        this.reserveSlackBytes = reserveSlackBytes;
        updateReserve();
    }

    /**
     * Queues {@code p} and returns once it is durable and applied.
     *
     * @param p a put or delete.
     * @throws ConduitException the failure of its batch ({@code STORE_FAILED} once the journal failed).
     */
    void commit(final PendingCommit p)
    {
        Throwable escaped = null;
        lock.lock();
        try
        {
            throwIfFailed();
            p.wakeup = lock.newCondition();
            queue.add(p);
            while (!p.done)
            {
                if (leaderActive)
                {
                    p.wakeup.awaitUninterruptibly();
                    continue;
                }
                final List<PendingCommit> group = new ArrayList<>(queue);
                queue.clear();
                leaderActive = true;
                lock.unlock();
                try
                {
                    lead(group);
                }
                catch (final Throwable t)
                {
                    escaped = t;
                }
                finally
                {
                    lock.lock();
                    leaderActive = false;
                    if (escaped != null)
                    {
                        failGroupLocked(group, escaped);
                    }
                    leaderFinishedLocked();
                }
            }
        }
        finally
        {
            lock.unlock();
        }
        if (escaped instanceof Error error)
        {
            // The thread that hit an Error sees it itself; everyone else in its group gets STORE_FAILED.
            throw error;
        }
        if (p.failure != null)
        {
            throw p.failure;
        }
    }

    /**
     * Runs {@code action} as the leader, with no batch in flight (checkpoint, close).
     *
     * @param action receives the current version counter.
     */
    void exclusive(final LongConsumer action)
    {
        lock.lock();
        try
        {
            while (leaderActive)
            {
                changed.awaitUninterruptibly();
            }
            throwIfFailed();
            leaderActive = true;
        }
        finally
        {
            lock.unlock();
        }
        try
        {
            action.accept(nextVersion);
        }
        catch (final ConduitException e)
        {
            failIfFatal(e);
            throw e;
        }
        finally
        {
            lock.lock();
            leaderActive = false;
            leaderFinishedLocked();
            lock.unlock();
        }
    }

    /** @return the failure that stopped writes, or null. */
    ConduitException failure()
    {
        lock.lock();
        try
        {
            return failure;
        }
        finally
        {
            lock.unlock();
        }
    }

    private void lead(final List<PendingCommit> group)
    {
        final ConduitException failed = failure();
        if (failed != null)
        {
            complete(group, 0, group.size(), failed);
            return;
        }
        boolean dataFlushed = false;
        int next = 0;
        while (next < group.size())
        {
            final int start = next;
            final long firstVersion = nextVersion;
            journal.begin();
            journal.reserve(companions != null ? CompanionWriter.RESERVE_BYTES : 0);
            int notes = 0;
            while (next < group.size() && notes < CompanionWriter.MAX_NOTES && append(group, start, next))
            {
                final PendingCommit p = group.get(next);
                notes += p.failure == null ? p.notes.size() : 0;
                next++;
            }
            CompanionWriter.Sealed sealed = null;
            if (notes > 0)
            {
                try
                {
                    sealed = sealCompanion(group, start, next);
                }
                catch (final RuntimeException e)
                {
                    // Nothing of this batch was written: its writes fail, the versions they took are given back.
                    journal.begin();
                    nextVersion = firstVersion;
                    completeUnpublished(group, start, next, e);
                    continue;
                }
            }
            if (journal.isEmpty())
            {
                // Either everything taken was refused by its condition (nothing to write), or the
                // next write does not fit: make room for it.
                if (next > start)
                {
                    complete(group, start, next, null);
                }
                else
                {
                    next = makeRoom(group, next);
                }
                continue;
            }
            try
            {
                // The data of this batch's puts not written yet (their last staging buffers) goes
                // with the batch. Data elsewhere than namespace 0 is written and flushed before its
                // journal record; namespace 0's data (and the companion's there) is written with the
                // batch and flushed by the journal's own flush, and replay checks the last batch's data
                // (docs/FORMAT.md section 4).
                gatherData(group, start, next);
                if (!batchWrites.onlyNamespaceZero())
                {
                    batchWrites.writeTo(namespaces);
                }
                flushData(dataFlushed ? group.subList(start, next) : group, sealed);
                dataFlushed = true;
            }
            catch (final RuntimeException e)
            {
                batchWrites.clear();
                journal.begin();
                nextVersion = firstVersion;
                unseal(sealed, e);
                completeUnpublished(group, start, group.size(), e);
                return;
            }
            try
            {
                journal.commit(batchWrites);
            }
            catch (final RuntimeException e)
            {
                final ConduitException journalFailure =
                    LayoutErrors.error(ErrorCode.STORE_FAILED, "journal write failed; reopen the store: " + e.getMessage(), e);
                failIfFatal(journalFailure);
                if (sealed != null)
                {
                    companions.settled(sealed.companion(), journalFailure);
                }
                complete(group, start, group.size(), journalFailure);
                return;
            }
            counters.increment(StoreCounter.JOURNAL_BATCHES);
            counters.add(StoreCounter.JOURNAL_RECORDS, next - start + (sealed != null ? 1 : 0));
            if (sealed != null)
            {
                // Settled before the writes complete, so a writer that wakes finds its note durable.
                catalog.put(sealed.record());
                counters.increment(StoreCounter.PUTS);
                companions.settled(sealed.companion(), null);
            }
            apply(group, start, next);
        }
        allocator.free(reclaimer.drain());
        updateReserve();
    }

    /**
     * Seals the companion of the batch journaled so far and appends its record as the batch's last.
     *
     * @return the sealed companion.
     * @throws RuntimeException when it cannot be sealed, written or journaled (its space is then
     *                          freed and the companion told); the caller drops the batch.
     */
    private CompanionWriter.Sealed sealCompanion(final List<PendingCommit> group, final int start, final int next)
    {
        final CompanionWriter.Sealed sealed = companions.seal(CompanionWriter.noted(group, start, next));
        try
        {
            if (currentRecord(group, start, next, sealed.key()) != null)
            {
                throw LayoutErrors.error(ErrorCode.PRECONDITION_FAILED,
                    "the commit companion's object " + sealed.companion().key() + " already exists");
            }
            ObjectRecordDescriptor.version(sealed.record(), nextVersion);
            journal.reserve(0);
            if (!journal.tryAppendPut(sealed.record()))
            {
                throw LayoutErrors.error(ErrorCode.METADATA_TOO_LARGE, "the commit companion's record of " + sealed.record().length
                    + " bytes does not fit the " + CompanionWriter.RESERVE_BYTES + " bytes kept for it in a journal batch");
            }
            nextVersion++;
            return sealed;
        }
        catch (final RuntimeException e)
        {
            unseal(sealed, e);
            throw e;
        }
    }

    /** A sealed companion that will not publish: frees its space and tells the companion. */
    private void unseal(final CompanionWriter.Sealed sealed, final RuntimeException failure)
    {
        if (sealed != null)
        {
            allocator.free(sealed.layout().extents());
            companions.settled(sealed.companion(), failure);
        }
    }

    /**
     * Attaches (or with null detaches) the commit companion; called as the leader ({@link #exclusive}).
     *
     * @param companion the companion, or null.
     * @param writer    writes the companion's objects.
     */
    void attach(final CommitCompanion companion, final ObjectWriter writer)
    {
        companions = companion == null ? null : new CompanionWriter(companion, writer);
    }

    /**
     * Journals {@code group[index]} whole (every record of a compose, or none), after checking its
     * condition against the catalog as the batch so far leaves it.
     *
     * @return false, appending nothing, when the batch is full; true when appended or refused.
     */
    private boolean append(final List<PendingCommit> group, final int start, final int index)
    {
        final PendingCommit p = group.get(index);
        if (p.isNotesOnly())
        {
            if (companions == null)
            {
                p.failure = LayoutErrors.error(ErrorCode.INVALID_ARGUMENT, "notes were committed but the store has no commit companion");
                return true;
            }
            return journal.hasReservedRoom();
        }
        if (!p.notes.isEmpty() && companions == null)
        {
            // Detached since the write was queued: it publishes unnoted, and its caller sees the note unsealed.
            p.notes = List.of();
        }
        if (p.isConditional())
        {
            final int decision = admit(group, start, index, p);
            if (decision == DEFER)
            {
                // An earlier version removal of this batch decides what the key holds: journal and
                // apply that batch first, then check this write against the catalog.
                return false;
            }
            if (decision == REFUSED)
            {
                return true;
            }
        }
        final long version = nextVersion;
        if (!buildRider(p, version))
        {
            return true;
        }
        final long mark = journal.mark();
        final boolean appended = appendFirst(p, version) && appendRemovals(p, version)
            && (p.rider == null || journal.tryAppendPut(p.rider.record));
        if (!appended)
        {
            journal.reset(mark);
            return false;
        }
        p.version = version;
        nextVersion = version + p.versionCount();
        return true;
    }

    /**
     * Builds a put's rider ({@link CommitRider}) for the version the put is about to get; the rider
     * takes the version after the put's other records. A rider that cannot be built refuses the
     * write whole, like a condition that failed.
     *
     * @return false when the write was refused.
     */
    private boolean buildRider(final PendingCommit p, final long version)
    {
        if (p.rider == null)
        {
            return true;
        }
        try
        {
            p.rider.encode(p.draft.withVersion(version), version + p.versionCount() - 1);
            return true;
        }
        catch (final RuntimeException e)
        {
            p.failure = e;
            allocator.free(p.layout.extents());
            return false;
        }
    }

    private boolean appendFirst(final PendingCommit p, final long version)
    {
        if (p.isPut())
        {
            ObjectRecordDescriptor.version(p.record, version);
            if (p.stampVersionId)
            {
                ObjectRecordDescriptor.versionId(p.record, version);
            }
        }
        return switch (p.type)
        {
            case JournalBatchDescriptor.TYPE_PUT -> journal.tryAppendPut(p.record);
            case JournalBatchDescriptor.TYPE_PUT_VERSION -> journal.tryAppendPutVersion(p.record);
            case JournalBatchDescriptor.TYPE_DELETE_VERSION -> journal.tryAppendDeleteVersion(version, p.versionId, p.key);
            default -> journal.tryAppendDelete(version, p.key);
        };
    }

    private boolean appendRemovals(final PendingCommit p, final long version)
    {
        boolean appended = true;
        for (int i = 0; appended && i < p.removedKeys.length; i++)
        {
            appended = journal.tryAppendDelete(version + 1 + i, p.removedKeys[i]);
        }
        return appended;
    }

    /**
     * Checks a conditional write against the catalog plus the writes of this batch before it (they
     * are journaled but not yet applied). A refused write gets its failure and its new space back
     * now; it journals nothing.
     *
     * @return {@link #ADMITTED}, {@link #REFUSED}, or {@link #DEFER} when an earlier write of the
     *         batch removed a version of a key this one depends on.
     */
    private int admit(final List<PendingCommit> group, final int start, final int index, final PendingCommit p)
    {
        final byte[] current = currentRecord(group, start, index, p.key);
        if (current == PendingCommit.UNKNOWN_EFFECT)
        {
            return DEFER;
        }
        for (final byte[] removed : p.removedKeys)
        {
            if (currentRecord(group, start, index, removed) == PendingCommit.UNKNOWN_EFFECT)
            {
                return DEFER;
            }
        }
        RuntimeException refusal = null;
        if (!p.condition.holds(current))
        {
            refusal = p.condition.failure(ObjectRecordDescriptor.keyText(p.key), current);
        }
        else if (p.expectedVersion != 0 && (current == null || ObjectRecordDescriptor.version(current) != p.expectedVersion))
        {
            refusal = stale(p, p.key);
        }
        for (int i = 0; refusal == null && i < p.removedKeys.length; i++)
        {
            final byte[] part = currentRecord(group, start, index, p.removedKeys[i]);
            if (part == null || ObjectRecordDescriptor.version(part) != p.removedVersions[i])
            {
                refusal = stale(p, p.removedKeys[i]);
            }
        }
        if (refusal == null)
        {
            return ADMITTED;
        }
        p.failure = refusal;
        allocator.free(p.layout.extents());
        return REFUSED;
    }

    private static RuntimeException stale(final PendingCommit p, final byte[] changedKey)
    {
        return new StaleWriteException("write of " + ObjectRecordDescriptor.keyText(p.key) + " was planned from "
            + ObjectRecordDescriptor.keyText(changedKey) + ", which another write replaced or removed before it could publish");
    }

    private byte[] currentRecord(final List<PendingCommit> group, final int start, final int index, final byte[] key)
    {
        for (int i = index - 1; i >= start; i--)
        {
            final PendingCommit earlier = group.get(i);
            if (earlier.failure == null)
            {
                final byte[] effect = earlier.effectOn(key, UNTOUCHED);
                if (effect != UNTOUCHED)
                {
                    return effect;
                }
            }
        }
        return catalog.get(key);
    }

    private int makeRoom(final List<PendingCommit> group, final int next)
    {
        final PendingCommit p = group.get(next);
        if (!journal.fitsEmptyJournal(p.journalBytes()))
        {
            completeUnpublished(group.subList(next, next + 1), 0,
                LayoutErrors.error(ErrorCode.METADATA_TOO_LARGE, "write of " + p.journalBytes() + " journal bytes does not fit a journal batch"));
            return next + 1;
        }
        try
        {
            checkpointer.checkpoint(nextVersion);
            counters.increment(StoreCounter.CHECKPOINTS);
            return next;
        }
        catch (final ConduitException e)
        {
            failIfFatal(e);
            completeUnpublished(group, next, e);
            return group.size();
        }
    }

    private void apply(final List<PendingCommit> group, final int from, final int to)
    {
        for (int i = from; i < to; i++)
        {
            final PendingCommit p = group.get(i);
            if (p.failure != null || p.isNotesOnly())
            {
                continue;
            }
            final byte[] old = applyFirst(p);
            if (old != null && p.retireSpace)
            {
                reclaimer.retire(ObjectRecordDescriptor.extents(old));
            }
            for (final byte[] removed : p.removedKeys)
            {
                catalog.remove(removed);
            }
            applyRider(p);
            reclaimer.retire(p.retireOnPublish);
            p.replaced = old;
            if (p.isPut())
            {
                counters.increment(StoreCounter.PUTS);
            }
            else if (old != null)
            {
                counters.increment(StoreCounter.DELETES);
            }
        }
        complete(group, from, to, null);
    }

    /** A rider replaces its key's record as a plain PUT does (replay applies the same record the same way). */
    private void applyRider(final PendingCommit p)
    {
        if (p.rider == null)
        {
            return;
        }
        final byte[] old = catalog.put(p.rider.record);
        if (old != null)
        {
            reclaimer.retire(ObjectRecordDescriptor.extents(old));
        }
        counters.increment(StoreCounter.PUTS);
    }

    /** @return the record whose space the write freed (the replaced or removed version), or null. */
    private byte[] applyFirst(final PendingCommit p)
    {
        switch (p.type)
        {
            case JournalBatchDescriptor.TYPE_PUT:
                return catalog.put(p.record);
            case JournalBatchDescriptor.TYPE_PUT_VERSION:
                final List<byte[]> retired = new ArrayList<>(1);
                chain.putVersion(p.record, retired);
                for (final byte[] r : retired)
                {
                    if (p.retireSpace)
                    {
                        reclaimer.retire(ObjectRecordDescriptor.extents(r));
                    }
                }
                return null;
            case JournalBatchDescriptor.TYPE_DELETE_VERSION:
                return chain.deleteVersion(p.key, p.versionId);
            default:
                return catalog.remove(p.key);
        }
    }

    /** Gathers the unwritten data of the writes journaled in {@code group[from, to)} (never of a refused one). */
    private void gatherData(final List<PendingCommit> group, final int from, final int to)
    {
        batchWrites.clear();
        for (int i = from; i < to; i++)
        {
            final PendingCommit p = group.get(i);
            if (p.failure == null && p.data != null)
            {
                batchWrites.addAll(p.data);
            }
        }
    }

    private void flushData(final List<PendingCommit> group, final CompanionWriter.Sealed sealed)
    {
        final BitSet dirty = new BitSet();
        if (sealed != null)
        {
            dirty.or(sealed.dirty());
        }
        for (final PendingCommit p : group)
        {
            dirty.or(p.dirtyNamespaces);
        }
        for (int i = dirty.nextSetBit(1); i >= 0; i = dirty.nextSetBit(i + 1))
        {
            namespaces.get(i).flush();
        }
    }

    private void completeUnpublished(final List<PendingCommit> group, final int from, final RuntimeException e)
    {
        completeUnpublished(group, from, group.size(), e);
    }

    private void completeUnpublished(final List<PendingCommit> group, final int from, final int to, final RuntimeException e)
    {
        for (int i = from; i < to; i++)
        {
            final PendingCommit p = group.get(i);
            if (p.failure == null)
            {
                allocator.free(p.layout.extents());
            }
        }
        complete(group, from, to, e);
    }

    private void complete(final List<PendingCommit> group, final int from, final int to, final RuntimeException e)
    {
        lock.lock();
        try
        {
            for (int i = from; i < to; i++)
            {
                final PendingCommit p = group.get(i);
                // A write its condition refused keeps that failure: it never reached the journal.
                p.failure = p.failure != null ? p.failure : e;
                p.done = true;
                p.wakeup.signal();
            }
        }
        finally
        {
            lock.unlock();
        }
    }

    /**
     * An exception no step of {@link #lead} handles left the group half done: some records may be
     * journaled but not applied, so the catalog no longer matches the journal and no further write
     * may be acknowledged. Every commit of the group not yet completed fails, so no follower is left
     * waiting for a leader that will never complete it. Extents are not freed: the store is dead.
     */
    private void failGroupLocked(final List<PendingCommit> group, final Throwable cause)
    {
        if (failure == null)
        {
            failure = LayoutErrors.error(ErrorCode.STORE_FAILED, "group commit failed unexpectedly; reopen the store: " + cause, cause);
        }
        for (final PendingCommit p : group)
        {
            if (!p.done)
            {
                p.failure = failure;
                p.done = true;
                p.wakeup.signal();
            }
        }
    }

    /**
     * No leader is active any more: the first queued commit leads the next batch (it took the queue
     * when it wakes, unless a newcomer leads first and takes it along), and {@link #exclusive} may run.
     */
    private void leaderFinishedLocked()
    {
        if (!queue.isEmpty())
        {
            queue.getFirst().wakeup.signal();
        }
        changed.signalAll();
    }

    private void updateReserve()
    {
        final CatalogIndex history = chain.history();
        allocator.reserve(CheckpointIo.streamBytes(catalog.size() + history.size(), catalog.recordBytes() + history.recordBytes()) * 9 / 8
            + reserveSlackBytes);
    }

    private void failIfFatal(final ConduitException e)
    {
        if (e.code() == ErrorCode.STORE_FAILED)
        {
            lock.lock();
            try
            {
                failure = e;
            }
            finally
            {
                lock.unlock();
            }
        }
    }

    private void throwIfFailed()
    {
        if (failure != null)
        {
            throw LayoutErrors.error(ErrorCode.STORE_FAILED, "the store stopped accepting writes: " + failure.getMessage(), failure);
        }
    }
}
