package dev.conduit.blocklayout;

import java.io.InputStream;
import java.io.OutputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.Optional;

import dev.conduit.blocklayout.namespace.Namespace;
import dev.conduit.core.Closeables;
import dev.conduit.core.ConduitException;
import dev.conduit.core.ErrorCode;

/**
 * A crash-safe object store on aligned extents over 1..N namespaces (docs/FORMAT.md): atomic,
 * durable puts; verified reads; ordered listing; fsck.
 *
 * <pre>{@code
 * ObjectStore.format(namespaces, FormatOptions.DEFAULT);
 * try (ObjectStore store = ObjectStore.open(namespaces, StoreOptions.DEFAULT))
 * {
 *     store.put("ckpt/step-1000", bytes, new ObjectMetadata("application/x-pytorch", Map.of("tested", "true")));
 *     final byte[] back = store.getBytes("ckpt/step-1000");
 *     final ListPage page = store.list(ListRequest.of("ckpt/", 1000));
 * }
 * }</pre>
 *
 * <p>Guarantees: {@code put} returns only after the data and the journal record that publishes it
 * are on stable storage; replacing a key is atomic (readers see the old or the new version, never a
 * mix); every byte returned passed its chunk CRC-32C. A full store answers {@code NO_SPACE} and
 * stays usable.
 *
 * <p>Why it is long (~930 lines, most of it Javadoc): it is already split along its seams. Opening and recovery are
 * {@code StoreLoader}, writing objects is {@code ObjectWriter}, reading them {@code ObjectReader},
 * group commit {@code CommitPipeline}, the journal {@code JournalWriter} and checkpoints
 * {@code Checkpointer}; this class is the public facade over them. What is left is one documented
 * method per operation, a few lines each, and the close sequence that must see all of them.
 *
 * <p>Threading: all methods are safe to call concurrently. The store owns no threads: concurrent
 * writers group-commit on their own threads. It owns the arena of the journal buffer and of the
 * put staging buffers ({@link StagingPool}); it owns the
 * namespaces only when opened through {@link DataDirectory}.
 */
public final class ObjectStore implements AutoCloseable
{
    /** Most parts {@link #compose} accepts (S3's limit). */
    public static final int MAX_COMPOSE_PARTS = 10_000;
    private static final int FOR_EACH_PAGE = 1000;

    private final List<Namespace> namespaces;
    private final StoreLoader.Loaded loaded;
    private final CatalogIndex catalog;
    private final DecodedRecords decoded = new DecodedRecords();
    private final VersionChain chains;
    private final Allocator allocator;
    private final Reclaimer reclaimer = new Reclaimer();
    private final StoreCounters counters = new StoreCounters();
    private final JournalWriter journal;
    private final Checkpointer checkpointer;
    private final CommitPipeline pipeline;
    private final ObjectWriter writer;
    private final ObjectReader reader;
    private final Composer composer;
    private final Arena arena;
    private final List<AutoCloseable> owned;
    private volatile MetadataIndex metadataIndex;
    private volatile boolean closed;

    private ObjectStore(final StoreLoader.Loaded loaded, final StoreOptions options, final List<AutoCloseable> owned)
    {
        this.loaded = loaded;
        this.namespaces = loaded.namespaces();
        this.chains = loaded.chains();
        this.catalog = chains.current();
        this.allocator = loaded.allocator();
        this.owned = owned;
        final Superblock sb0 = loaded.superblocks().getFirst();
        final Regions r = sb0.regions();
        this.arena = Arena.ofShared();
        this.journal = new JournalWriter(namespaces.getFirst(), r.journalOffsetBytes(), r.journalLengthBytes(), sb0.journalSalt(),
            arena.allocate(JournalWriter.batchBufferBytes(r.journalLengthBytes()), Bytes.BLOCK),
            loaded.replay().endOffsetBytes(), loaded.replay().nextSequence());
        this.checkpointer = new Checkpointer(namespaces, allocator, chains, journal, sb0);
        this.pipeline = new CommitPipeline(namespaces, journal, chains, allocator, reclaimer, checkpointer, counters,
            loaded.nextVersion(), sb0.geometry().allocationUnitBytes());
        this.writer = new ObjectWriter(namespaces, allocator, reclaimer, sb0.geometry(), counters, options.clockMs(), this::commitPut,
            new StagingPool(arena, ObjectWriter.POOLED_STAGING_BUFFERS));
        this.reader = new ObjectReader(namespaces, counters);
        this.composer = new Composer(catalog, writer, reader, reclaimer, this::commitAdopting);
        upgradeFormat(loaded);
    }

    /**
     * Opening a format 1 store upgrades it (docs/FORMAT.md section 8): the other namespaces'
     * superblocks are rewritten as format 2 first, then a format 2 checkpoint is installed in
     * namespace 0's superblock, which is what makes the store format 2. A crash in between leaves
     * a store that still opens (either version is read) and is upgraded by the next open.
     */
    private void upgradeFormat(final StoreLoader.Loaded l)
    {
        if (l.superblocks().stream().allMatch(sb -> sb.formatVersion() == SuperblockDescriptor.VERSION))
        {
            return;
        }
        for (int i = 1; i < namespaces.size(); i++)
        {
            final Superblock sb = l.superblocks().get(i);
            if (sb.formatVersion() != SuperblockDescriptor.VERSION)
            {
                SuperblockIo.writeBoth(namespaces.get(i), sb.upgraded());
            }
        }
        pipeline.exclusive(checkpointer::checkpoint);
    }

    /**
     * Formats a new store over {@code namespaces} (index = list position). Existing contents are lost.
     *
     * @param namespaces 1..255 namespaces.
     * @param options    geometry and journal size.
     */
    public static void format(final List<? extends Namespace> namespaces, final FormatOptions options)
    {
        StoreFormatter.format(namespaces, options);
    }

    /**
     * Opens the store on {@code namespaces} (any order). The caller keeps owning the namespaces and
     * closes them after the store.
     *
     * @param namespaces every namespace of the store.
     * @param options    clock and strictness.
     * @return the open store.
     * @throws ConduitException {@code BAD_FORMAT}, {@code UNSUPPORTED_VERSION}, {@code FOREIGN_NAMESPACE}, {@code CORRUPT}.
     */
    public static ObjectStore open(final List<? extends Namespace> namespaces, final StoreOptions options)
    {
        return open(namespaces, options, List.of());
    }

    static ObjectStore open(final List<? extends Namespace> namespaces, final StoreOptions options, final List<AutoCloseable> owned)
    {
        return new ObjectStore(StoreLoader.load(namespaces, options.lenient()), options, owned);
    }

    /**
     * Stores {@code data} under {@code key}, replacing any previous version atomically.
     *
     * @param key  UTF-8 key of 1..{@value Keys#MAX_KEY_BYTES} bytes.
     * @param data content.
     * @param meta content type and user metadata.
     * @return the published record.
     */
    public ObjectRecord put(final String key, final byte[] data, final ObjectMetadata meta)
    {
        return put(key, MemorySegment.ofArray(data), meta);
    }

    /**
     * @param key  UTF-8 key of 1..{@value Keys#MAX_KEY_BYTES} bytes.
     * @param data content (heap or native).
     * @param meta content type and user metadata.
     * @return the published record.
     */
    public ObjectRecord put(final String key, final MemorySegment data, final ObjectMetadata meta)
    {
        try (PutSession session = openPut(key, meta, data.byteSize()))
        {
            session.append(data);
            return session.commit();
        }
    }

    /**
     * Streams a put of known size; the content never has to fit in memory.
     *
     * @param key       UTF-8 key of 1..{@value Keys#MAX_KEY_BYTES} bytes.
     * @param in        exactly {@code sizeBytes} bytes; not closed.
     * @param sizeBytes content length.
     * @param meta      content type and user metadata.
     * @param progress  bytes written so far.
     * @return the published record.
     * @throws ConduitException {@code SIZE_MISMATCH} when the stream is shorter or longer.
     */
    public ObjectRecord put(final String key, final InputStream in, final long sizeBytes, final ObjectMetadata meta, final ProgressListener progress)
    {
        try (PutSession session = openPut(key, meta, sizeBytes))
        {
            try
            {
                StreamAppender.appendAll(session, in, sizeBytes, progress);
            }
            catch (final RuntimeException e)
            {
                throw session.fail(e);
            }
            return session.commit();
        }
    }

    /**
     * Opens a put whose size is not known yet (a PUT of unknown length, {@code aws-chunked}
     * payloads, a checkpoint streamed from device memory): append the bytes in order, then commit
     * or abort. Nothing is visible before the commit.
     *
     * @param key  UTF-8 key of 1..{@value Keys#MAX_KEY_BYTES} bytes.
     * @param meta content type and user metadata.
     * @return the open session; close it (which aborts it unless committed).
     */
    public PutSession openPut(final String key, final ObjectMetadata meta)
    {
        return openPut(key, meta, PutSession.UNKNOWN_SIZE);
    }

    /**
     * Opens a put of known size: its space is allocated at once, placed exactly as a whole-object
     * put places it, and the commit fails unless exactly {@code sizeBytes} were appended.
     *
     * @param key       UTF-8 key of 1..{@value Keys#MAX_KEY_BYTES} bytes.
     * @param meta      content type and user metadata.
     * @param sizeBytes the object's size, or {@link PutSession#UNKNOWN_SIZE}.
     * @return the open session; close it (which aborts it unless committed).
     * @throws ConduitException {@code NO_SPACE}, {@code KEY_TOO_LONG}, {@code INVALID_KEY}, {@code STORE_FAILED}.
     */
    public PutSession openPut(final String key, final ObjectMetadata meta, final long sizeBytes)
    {
        ensureWritable();
        return writer.open(key, meta, sizeBytes);
    }

    /**
     * Opens a put of known size whose whole blocks the caller writes into the allocated extents
     * itself (GPU checkpoints written with cuFile); the store writes the tail, keeps the checksums
     * of what the caller hashes, and publishes on {@link DirectPut#commit()} as a put would.
     *
     * @param key       UTF-8 key of 1..{@value Keys#MAX_KEY_BYTES} bytes.
     * @param meta      content type and user metadata.
     * @param sizeBytes the object's size.
     * @return the open put; close it (which frees its space unless committed).
     * @throws ConduitException {@code NO_SPACE}, {@code KEY_TOO_LONG}, {@code INVALID_KEY}, {@code STORE_FAILED}.
     */
    public DirectPut openDirectPut(final String key, final ObjectMetadata meta, final long sizeBytes)
    {
        ensureWritable();
        if (sizeBytes < 0)
        {
            throw new IllegalArgumentException("sizeBytes must be >= 0: " + sizeBytes);
        }
        Keys.encode(key);
        return new DirectPut(writer, key, meta == null ? ObjectMetadata.NONE : meta, sizeBytes);
    }

    /**
     * Completes an S3 multipart upload: publishes a new version of {@code key} whose bytes are the
     * bytes of {@code partKeys}' current versions in order, and removes the part keys, in one
     * journal batch (after a crash either every part or the composed object exists, never both,
     * never neither).
     *
     * <p>No data is copied when every part but the last is a whole number of chunks and of stripe
     * rows (stripe unit × column count) and all parts share chunk size, stripe unit and column
     * placement, which the 5 MiB and 8 MiB parts S3 clients send normally are: the parts' extents
     * are handed to the new record (merged where they touch) and their chunk CRCs concatenated.
     * Otherwise (for example 5,000,000-byte parts) the bytes are copied, verified, into a new put
     * and the parts are removed in the same batch that publishes it; the result is the same
     * record, only slower to make. Either way the part extents are owned by the new version from
     * then on and freed when it is deleted or replaced.
     *
     * <p>The ETag is S3's multipart ETag: the MD5 of the concatenated binary ETags of the parts,
     * shown as {@code "<32 hex>-N"} ({@link ObjectRecord#etag()}, {@link ObjectRecord#partCount()}).
     *
     * @param key       UTF-8 key of 1..{@value Keys#MAX_KEY_BYTES} bytes; not one of {@code partKeys}.
     * @param partKeys  1..{@value #MAX_COMPOSE_PARTS} distinct existing keys, in content order.
     * @param meta      content type and user metadata of the new version.
     * @param condition what must hold of {@code key}'s current version.
     * @return the published record.
     * @throws ConduitException {@code NOT_FOUND} naming a missing part; {@code PRECONDITION_FAILED}
     *                          when the condition failed, or when parts kept being replaced while
     *                          composing (a compose planned from a replaced part is never
     *                          published; it is planned again, up to 8 times); {@code INVALID_ARGUMENT}
     *                          (no parts, too many, a part listed twice or equal to {@code key});
     *                          {@code NO_SPACE} (copy only).
     */
    public ObjectRecord compose(final String key, final List<String> partKeys, final ObjectMetadata meta, final CommitCondition condition)
    {
        ensureWritable();
        try
        {
            return composer.compose(key, partKeys, meta, condition);
        }
        finally
        {
            // A copying compose pins its parts while its own commit retires them; free them now
            // rather than at the next commit.
            allocator.free(reclaimer.drain());
        }
    }

    /**
     * Publishes a new version of {@code key} with the same bytes and new metadata, copying no data
     * (S3 object tagging, CopyObject onto itself with the REPLACE directive). The extents move
     * from the old version to the new one; readers that pinned the old version keep reading the
     * same bytes. The multipart ETag and part count are kept.
     *
     * @param key       an existing key.
     * @param meta      the new content type and user metadata.
     * @param condition what must hold of the key's current version (use
     *                  {@link CommitCondition#ifVersion} to avoid lost updates).
     * @return the published record.
     * @throws ConduitException {@code NOT_FOUND}, {@code PRECONDITION_FAILED}.
     */
    public ObjectRecord replaceMetadata(final String key, final ObjectMetadata meta, final CommitCondition condition)
    {
        ensureWritable();
        return composer.replaceMetadata(key, meta, condition);
    }

    /**
     * Pins the current version of {@code key} for reading.
     *
     * @param key the key.
     * @return a handle to close after the last read.
     * @throws ConduitException {@code NOT_FOUND}.
     */
    public ObjectReadHandle openObject(final String key)
    {
        return openObject(Keys.encode(key), null);
    }

    /**
     * Pins the current version of the key whose UTF-8 bytes are {@code key}, re-arming {@code reuse}
     * instead of making a handle when it is a closed handle of this store that no read holds any
     * more (an owner that opens one object after another then allocates nothing here).
     *
     * @param key   the key's UTF-8 bytes (not kept, not changed).
     * @param reuse a handle this caller opened and closed before, or null.
     * @return {@code reuse} re-armed for the current version, or a new handle; close it after the last read.
     * @throws ConduitException {@code NOT_FOUND}, {@code INVALID_KEY} (empty), {@code KEY_TOO_LONG}.
     */
    public ObjectReadHandle openObject(final byte[] key, final ObjectReadHandle reuse)
    {
        ensureOpen();
        Keys.checkEncoded(key);
        final long ticket = reclaimer.enter();
        final byte[] record = catalog.get(key);
        if (record == null)
        {
            reclaimer.exit(ticket);
            throw LayoutErrors.notFound(new String(key, StandardCharsets.UTF_8));
        }
        counters.increment(StoreCounter.GETS);
        final ObjectRecord version = decoded.decode(record);
        if (reuse != null && reuse.rearm(version, reader, reclaimer, ticket))
        {
            return reuse;
        }
        return new ObjectReadHandle(version, reader, reclaimer, ticket);
    }

    /**
     * Pins one version of {@code key}, current or noncurrent, for reading.
     *
     * @param key       the key.
     * @param versionId its id ({@link ObjectRecord#versionId()}; 0 for the null version).
     * @return a handle to close after the last read.
     * @throws ConduitException {@code NOT_FOUND} when there is no such version, or it is a delete marker.
     */
    public ObjectReadHandle openVersion(final String key, final long versionId)
    {
        ensureOpen();
        final byte[] k = Keys.encode(key);
        final long ticket = reclaimer.enter();
        final byte[] record = chains.find(k, versionId);
        if (record == null || ObjectRecordDescriptor.isDeleteMarker(record))
        {
            reclaimer.exit(ticket);
            throw LayoutErrors.error(ErrorCode.NOT_FOUND, "no version " + VersionIds.format(versionId) + " of " + key
                + (record == null ? "" : " (it is a delete marker)"));
        }
        counters.increment(StoreCounter.GETS);
        return new ObjectReadHandle(ObjectRecordDescriptor.decode(record), reader, reclaimer, ticket);
    }

    /**
     * @param key       the key.
     * @param versionId its id (0 for the null version).
     * @return that version (possibly a delete marker), if the key has it.
     */
    public Optional<ObjectRecord> findVersion(final String key, final long versionId)
    {
        ensureOpen();
        final byte[] record = chains.find(Keys.encode(key), versionId);
        return record == null ? Optional.empty() : Optional.of(ObjectRecordDescriptor.decode(record));
    }

    /**
     * @param key the key.
     * @return its newest version: the current object, or a delete marker when the key reads as
     *         deleted in a versioned bucket; empty when the key has no versions at all.
     */
    public Optional<ObjectRecord> findNewest(final String key)
    {
        ensureOpen();
        final byte[] record = chains.newest(Keys.encode(key));
        return record == null ? Optional.empty() : Optional.of(ObjectRecordDescriptor.decode(record));
    }

    /**
     * @param key the key.
     * @return the whole verified content (objects under 2 GiB).
     */
    public byte[] getBytes(final String key)
    {
        try (ObjectReadHandle h = openObject(key))
        {
            return h.readAllBytes();
        }
    }

    /**
     * Streams the verified content of {@code key} to {@code out}.
     *
     * @param key      the key.
     * @param out      destination; not closed.
     * @param progress bytes done so far.
     * @return the record of the version read.
     */
    public ObjectRecord get(final String key, final OutputStream out, final ProgressListener progress)
    {
        try (ObjectReadHandle h = openObject(key))
        {
            h.transferTo(out, progress);
            return h.record();
        }
    }

    /**
     * @param key the key.
     * @return its current record, if any.
     */
    public Optional<ObjectRecord> find(final String key)
    {
        ensureOpen();
        final byte[] record = catalog.get(Keys.encode(key));
        return record == null ? Optional.empty() : Optional.of(ObjectRecordDescriptor.decode(record));
    }

    /**
     * @param key the key.
     * @return its current record.
     * @throws ConduitException {@code NOT_FOUND}.
     */
    public ObjectRecord stat(final String key)
    {
        return find(key).orElseThrow(() -> LayoutErrors.notFound(key));
    }

    /**
     * Removes {@code key} durably.
     *
     * @param key the key.
     * @return false when there was no such key.
     */
    public boolean delete(final String key)
    {
        return deleteVersioned(key) > 0;
    }

    /**
     * {@link #delete} that tells where it fell in the store's order of writes.
     *
     * @param key the key.
     * @return the delete's version (versions order every put and delete); its negation when a
     *         concurrent delete removed the key first (this one is journaled and ordered all the
     *         same); 0 when there was no such key and nothing was written.
     */
    long deleteVersioned(final String key)
    {
        ensureWritable();
        final byte[] k = Keys.encode(key);
        if (catalog.get(k) == null)
        {
            return 0;
        }
        final PendingCommit p = PendingCommit.delete(k, true);
        pipeline.commit(p);
        return p.replaced != null ? p.version : -p.version;
    }

    /**
     * Deletes {@code key} in a versioned or suspended bucket (S3 DELETE without a version id): a
     * delete marker becomes its newest version and the current object, if any, becomes
     * noncurrent with its extents kept. In {@link VersioningMode#SUSPENDED} the marker is the
     * key's null version and replaces an earlier null version (whose space is freed).
     *
     * @param key  the key (it need not exist: S3 writes the marker anyway).
     * @param mode {@link VersioningMode#ENABLED} or {@link VersioningMode#SUSPENDED}.
     * @return the delete marker.
     */
    public ObjectRecord putDeleteMarker(final String key, final VersioningMode mode)
    {
        if (mode == VersioningMode.OFF)
        {
            throw new IllegalArgumentException("a delete marker needs a versioned or suspended bucket; use delete(key)");
        }
        ensureWritable();
        final byte[] etag = Bytes.md5().digest();
        final ObjectRecord draft = new ObjectRecord(key, 0, 0, writer.clockMs.getAsLong(), etag, "", java.util.Map.of(),
            Integer.numberOfTrailingZeros(writer.geometry.chunkSizeBytes()), new int[0], ObjectLayout.EMPTY, 0,
            new ObjectRecord.Versioning(mode == VersioningMode.ENABLED, 0, true));
        final PendingCommit p = PendingCommit.put(ObjectRecordDescriptor.encode(draft), ObjectLayout.EMPTY, CommitCondition.NONE, mode);
        pipeline.commit(p);
        counters.increment(StoreCounter.DELETES);
        return draft.withVersion(p.version);
    }

    /**
     * Removes one version of {@code key} for good (S3 DELETE with a version id): its extents are
     * freed once no reader pins them. When it was the newest version, the next newest becomes
     * current if it is an object (removing a delete marker restores the object under it).
     *
     * @param key       the key.
     * @param versionId the version's id (0 for the null version).
     * @return the removed version (possibly a delete marker), or empty when the key had no such version.
     */
    public Optional<ObjectRecord> deleteVersion(final String key, final long versionId)
    {
        ensureWritable();
        final byte[] k = Keys.encode(key);
        if (chains.find(k, versionId) == null)
        {
            return Optional.empty();
        }
        final PendingCommit p = PendingCommit.deleteVersion(k, versionId);
        pipeline.commit(p);
        if (p.replaced == null)
        {
            return Optional.empty();
        }
        counters.increment(StoreCounter.DELETES);
        return Optional.of(ObjectRecordDescriptor.decode(p.replaced));
    }

    /**
     * Attaches the companion that describes noted writes in their own journal batches (see
     * {@link CommitCompanion}), replacing any earlier one; null detaches it. Waits for the batch
     * in flight, so no batch is sealed by two companions.
     *
     * @param companion the companion, or null.
     */
    public void attachCompanion(final CommitCompanion companion)
    {
        ensureOpen();
        pipeline.exclusive(version -> pipeline.attach(companion, writer));
    }

    /**
     * Makes {@code notes} durable through the attached {@link CommitCompanion}, on their own (with
     * whatever writes share their journal batch): for what is noted about a write that did not go
     * through a noted commit (a failed request, a delete).
     *
     * @param notes one or more notes, sealed in this order.
     * @throws ConduitException {@code INVALID_ARGUMENT} when no companion is attached, or the
     *                          failure of the batch (nothing of it was published).
     */
    public void commitNotes(final List<?> notes)
    {
        if (notes.isEmpty())
        {
            return;
        }
        ensureWritable();
        pipeline.commit(PendingCommit.notes(notes));
    }

    /**
     * One page of every version and delete marker under a prefix, key ascending and newest first
     * within a key (S3 ListObjectVersions).
     *
     * @param request prefix, markers, limit, skipped prefix.
     * @return the page.
     */
    public VersionPage listVersions(final VersionListRequest request)
    {
        ensureOpen();
        return VersionListing.list(chains, request);
    }

    /**
     * Space accounting per version for the keys under {@code prefix}: what current versions hold
     * and what noncurrent versions hold (reclaimable by expiring them).
     *
     * @param prefix key prefix; empty for the whole store.
     * @return counts and extent bytes.
     */
    public VersionSpace versionSpace(final String prefix)
    {
        ensureOpen();
        final byte[] p = Keys.utf8(prefix);
        final long[] current = new long[2];
        final long[] noncurrent = new long[3];
        catalog.scan(p.length == 0 ? null : p, true, record ->
        {
            if (!ObjectRecordDescriptor.keyStartsWith(record, p))
            {
                return false;
            }
            current[0]++;
            current[1] += extentBytes(record);
            return true;
        });
        chains.history().scan(p.length == 0 ? null : CatalogIndex.historyKey(p, -1L), true, record ->
        {
            if (!ObjectRecordDescriptor.keyStartsWith(record, p))
            {
                return false;
            }
            if (ObjectRecordDescriptor.isDeleteMarker(record))
            {
                noncurrent[2]++;
            }
            else
            {
                noncurrent[0]++;
                noncurrent[1] += extentBytes(record);
            }
            return true;
        });
        return new VersionSpace(current[0], current[1], noncurrent[0], noncurrent[1], noncurrent[2]);
    }

    private static long extentBytes(final byte[] record)
    {
        final long[] total = {0};
        ObjectRecordDescriptor.forEachExtent(record, (ns, offset, length) -> total[0] += length);
        return total[0];
    }

    /**
     * One page of keys in unsigned UTF-8 order, optionally filtered by metadata.
     *
     * @param request prefix, cursor, limit and metadata filter.
     * @return the page.
     */
    public ListPage list(final ListRequest request)
    {
        ensureOpen();
        return CatalogListing.list(catalog, request);
    }

    /**
     * One page of the keys under a prefix whose user metadata satisfies every predicate, in key
     * order, answered from the metadata index (built from the catalog on first use, then kept in
     * step with every commit; see {@link #indexMetadata()}).
     *
     * @param query prefix, predicates, cursor and page size.
     * @return the page.
     */
    public ListPage find(final MetadataQuery query)
    {
        ensureOpen();
        return metadataIndex().find(catalog, query);
    }

    /**
     * Builds the metadata index now (under the catalog's write lock: commits wait while it is built),
     * rather than at the first {@link #find}. Idempotent.
     *
     * @return postings in the index and the heap they are estimated to take.
     */
    public MetadataIndexStats indexMetadata()
    {
        ensureOpen();
        final MetadataIndex index = metadataIndex();
        return new MetadataIndexStats(catalog.size(), index.postingCount(), index.estimatedBytes());
    }

    private MetadataIndex metadataIndex()
    {
        MetadataIndex index = metadataIndex;
        if (index == null)
        {
            synchronized (this)
            {
                index = metadataIndex;
                if (index == null)
                {
                    index = new MetadataIndex();
                    catalog.attach(index);
                    metadataIndex = index;
                }
            }
        }
        return index;
    }

    /**
     * Visits every record under a prefix in key order, one {@link #list} page at a time, so callers
     * that want them all need no paging loop of their own.
     *
     * @param prefix  key prefix ("" for all).
     * @param visitor called with each record.
     */
    public void forEach(final String prefix, final Consumer<ObjectRecord> visitor)
    {
        ListRequest request = ListRequest.of(prefix, FOR_EACH_PAGE);
        while (true)
        {
            final ListPage page = list(request);
            page.objects().forEach(visitor);
            if (!page.truncated())
            {
                return;
            }
            request = request.after(page.nextStartAfter());
        }
    }

    /** Writes a checkpoint now, so the next open replays no journal. */
    public void checkpoint()
    {
        ensureOpen();
        pipeline.exclusive(checkpointer::checkpoint);
        counters.increment(StoreCounter.CHECKPOINTS);
    }

    /**
     * Verifies every structure and every chunk checksum and ETag.
     *
     * @param repair   drop damaged objects and rewrite damaged superblock copies.
     * @param progress objects checked so far.
     * @return the findings.
     */
    public FsckReport fsck(final boolean repair, final ProgressListener progress)
    {
        ensureOpen();
        return new Fsck(this, loaded, reader).run(repair, progress);
    }

    /** @return space and fragmentation. */
    public SpaceReport space()
    {
        return allocator.report();
    }

    /** @return identity, shape and size. */
    public StoreInfo info()
    {
        final Superblock sb0 = checkpointer.superblock();
        final List<String> ids = new ArrayList<>(namespaces.size());
        for (final Namespace ns : namespaces)
        {
            ids.add(ns.id());
        }
        return new StoreInfo(sb0.storeUuid(), ids, sb0.geometry(), catalog.size(), journal.usedBytes(),
            sb0.regions().journalLengthBytes(), sb0.generation());
    }

    /**
     * @param counter which one.
     * @return its value since open.
     */
    public long counter(final StoreCounter counter)
    {
        return counters.get(counter);
    }

    /**
     * Checkpoints (so the next open is fast), then releases owned resources. Readers and writers
     * must have finished.
     */
    @Override
    public void close()
    {
        if (closed)
        {
            return;
        }
        closed = true;
        RuntimeException failure = null;
        try
        {
            if (pipeline.failure() == null)
            {
                pipeline.exclusive(version ->
                {
                    if (checkpointer.hasJournalTail())
                    {
                        checkpointer.checkpoint(version);
                    }
                });
            }
        }
        catch (final RuntimeException e)
        {
            failure = e;
        }
        failure = releaseResources(failure);
        if (failure != null)
        {
            throw failure;
        }
    }

    /**
     * Drops the store as a crash would: no checkpoint, nothing flushed beyond what was acknowledged.
     * Releases memory and owned resources so tests can simulate many crashes in one JVM.
     */
    void abandon()
    {
        closed = true;
        releaseResources(null);
    }

    /**
     * Frees the journal arena, then closes owned resources in reverse order of acquisition.
     *
     * @param primary the failure so far, or null.
     * @return {@code primary} with later failures suppressed into it, or the first later failure.
     */
    private RuntimeException releaseResources(final RuntimeException primary)
    {
        arena.close();
        return Closeables.closeAll(primary, owned.reversed());
    }

    List<Namespace> namespaces()
    {
        return namespaces;
    }

    /** @return the pool of the puts' staging buffers (for tests). */
    StagingPool stagingPool()
    {
        return writer.staging;
    }

    void deleteDamaged(final String key)
    {
        commit(PendingCommit.delete(Keys.encode(key), false));
    }

    void commit(final PendingCommit p)
    {
        pipeline.commit(p);
    }

    CheckpointRef checkpointRef()
    {
        return checkpointer.superblock().checkpoint();
    }

    void rewriteSuperblock(final int namespaceIndex, final Superblock chosen)
    {
        final Namespace ns = namespaces.get(namespaceIndex);
        if (namespaceIndex == 0)
        {
            pipeline.exclusive(version -> SuperblockIo.writeBoth(ns, checkpointer.superblock()));
        }
        else
        {
            SuperblockIo.writeBoth(ns, chosen);
        }
    }

    CatalogIndex catalog()
    {
        return catalog;
    }

    VersionChain chains()
    {
        return chains;
    }

    /** The session's way in to the commit pipeline; frees the layout when the record is not handed over. */
    private long commitPut(
        final byte[] record,
        final ObjectLayout layout,
        final CommitCondition condition,
        final ComposedParts parts,
        final VersioningMode mode,
        final Object note,
        final ObjectRecord draft,
        final BatchWrites data)
    {
        try
        {
            ensureWritable();
        }
        catch (final RuntimeException e)
        {
            allocator.free(layout.extents());
            throw e;
        }
        final PendingCommit p = parts == null
            ? PendingCommit.put(record, layout, condition, mode)
            : PendingCommit.adopting(record, condition, 0, parts, layout, mode);
        Object companionNote = note;
        if (note instanceof CommitRider rider)
        {
            p.ride(new RiderRecord(rider, writer.clockMs.getAsLong(), Integer.numberOfTrailingZeros(writer.geometry.chunkSizeBytes())), draft);
            companionNote = rider.note();
        }
        if (companionNote != null)
        {
            p.note(companionNote, draft);
        }
        p.data = data;
        pipeline.commit(p);
        return p.version;
    }

    /** The composer's way in: its writes allocate nothing, so there is nothing to free on refusal. */
    private void commitAdopting(final PendingCommit p)
    {
        ensureWritable();
        pipeline.commit(p);
    }

    /** After a journal failure even "no such key" is not a durable answer, so writes of any kind stop. */
    private void ensureWritable()
    {
        ensureOpen();
        final ConduitException failed = pipeline.failure();
        if (failed != null)
        {
            throw LayoutErrors.error(ErrorCode.STORE_FAILED, "the store stopped accepting writes: " + failed.getMessage(), failed);
        }
    }

    private void ensureOpen()
    {
        if (closed)
        {
            throw LayoutErrors.error(ErrorCode.STORE_CLOSED, "the store is closed");
        }
    }
}
