package dev.conduit.objecttier.tier;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import dev.conduit.blocklayout.CommitCondition;
import dev.conduit.blocklayout.CommitRider;
import dev.conduit.blocklayout.ListPage;
import dev.conduit.blocklayout.ListRequest;
import dev.conduit.blocklayout.ObjectMetadata;
import dev.conduit.blocklayout.ObjectRecord;
import dev.conduit.blocklayout.ObjectStore;
import dev.conduit.blocklayout.PutSession;
import dev.conduit.objecttier.bucket.LocalCopies;

/**
 * The tiering layer's catalog records, in the store beside the buckets' own (0-byte objects whose
 * metadata is the record), so they are journaled, checkpointed and recovered with everything else:
 *
 * <pre>
 * .tier/b/&lt;bucket&gt;          binding of a local bucket to its cold location ({@link TierBinding})
 * .tier/o/&lt;bucket&gt;/&lt;key&gt;    one object's tier record ({@link TierRecord}): the write-back journal and the read-through TTL
 * </pre>
 *
 * <p>Bucket names never start with {@code .}, so {@code .tier/} cannot collide with S3 data. The
 * longest key is {@code 8 + 63 + 1 + 1024} = 1096 bytes, within the store's 1280.
 */
public final class TierCatalog
{
    private static final String BINDINGS = ".tier/b/";
    private static final String OBJECTS = ".tier/o/";
    private static final int PAGE = 1000;

    private final ObjectStore store;

    /**
     * @param store the store holding the buckets.
     */
    public TierCatalog(final ObjectStore store)
    {
        this.store = store;
    }

    /**
     * @param binding the binding to store (replacing one for the same bucket).
     */
    public void putBinding(final TierBinding binding)
    {
        store.put(BINDINGS + binding.bucket(), new byte[0], new ObjectMetadata("", binding.toMetadata()));
    }

    /**
     * @param bucket a local bucket.
     * @return whether a binding was removed.
     */
    public boolean removeBinding(final String bucket)
    {
        return store.delete(BINDINGS + bucket);
    }

    /** @return every binding, by bucket. */
    public List<TierBinding> bindings()
    {
        final List<TierBinding> out = new ArrayList<>();
        for (final ObjectRecord record : listAll(BINDINGS, Map.of()))
        {
            out.add(TierBinding.fromMetadata(record.key().substring(BINDINGS.length()), record.userMetadata()));
        }
        return out;
    }

    /**
     * @param bucket the bucket.
     * @param key    the key.
     * @return the object's tier record, if any.
     */
    public Optional<TierRecord> find(final String bucket, final String key)
    {
        return store.find(objectKey(bucket, key)).map(TierRecord::fromRecord);
    }

    /**
     * Writes a record, only if the stored one is still {@code expectedRecordVersion}.
     *
     * @param bucket                the bucket.
     * @param key                   the key.
     * @param record                the new record.
     * @param expectedRecordVersion the record version read before, 0 for "whatever is there".
     * @return the record as stored (with its new record version).
     * @throws dev.conduit.core.ConduitException {@code PRECONDITION_FAILED} when it changed meanwhile.
     */
    public TierRecord put(final String bucket, final String key, final TierRecord record, final long expectedRecordVersion)
    {
        final CommitCondition condition = expectedRecordVersion == 0 ? CommitCondition.NONE
            : CommitCondition.ifVersion(expectedRecordVersion);
        try (PutSession session = store.openPut(objectKey(bucket, key), new ObjectMetadata("", record.toMetadata()), 0))
        {
            return TierRecord.fromRecord(session.commit(0, null, condition));
        }
    }

    /**
     * A record written with a put of the object itself, in the same journal batch (one commit for
     * both, crash-atomic): pass it as the put's note.
     *
     * @param bucket the bucket.
     * @param key    the key.
     * @param record builds the record from the object's record as published (called by the store's
     *               group-commit leader: quick, and never calls into the store).
     * @param note   for the store's commit companion (the audit log), or null.
     * @return the note to commit the object's put with.
     */
    CommitRider rider(final String bucket, final String key, final Function<ObjectRecord, TierRecord> record, final Object note)
    {
        return new CommitRider(objectKey(bucket, key), published -> new ObjectMetadata("", record.apply(published).toMetadata()), note);
    }

    /**
     * @param bucket the bucket.
     * @param key    the key.
     */
    public void remove(final String bucket, final String key)
    {
        store.delete(objectKey(bucket, key));
    }

    /**
     * The tier state of a store object in a bound bucket ({@code conduit stat}).
     *
     * @param object a store record, e.g. of {@code o/<bucket>/<key>}.
     * @return its state, or empty when it is not an object of a bound bucket.
     */
    public Optional<TierState> stateOf(final ObjectRecord object)
    {
        final String storeKey = object.key();
        final int first = storeKey.indexOf('/');
        final int second = first < 0 ? -1 : storeKey.indexOf('/', first + 1);
        if (second < 0)
        {
            return Optional.empty();
        }
        final String bucket = storeKey.substring(first + 1, second);
        if (!storeKey.startsWith(LocalCopies.objectPrefix(bucket)) || store.find(BINDINGS + bucket).isEmpty())
        {
            return Optional.empty();
        }
        final String key = storeKey.substring(LocalCopies.objectPrefix(bucket).length());
        return Optional.of(find(bucket, key).filter(r -> r.describes(object.version())).map(TierRecord::state).orElse(TierState.LOCAL));
    }

    /**
     * @return every journaled upload and cold delete (states {@code uploading} and {@code deleting}), as (bucket, key, record).
     */
    public List<Entry> pendingUploads()
    {
        final List<Entry> out = new ArrayList<>(entries(Map.of(TierRecord.STATE, TierState.UPLOADING.text())));
        out.addAll(entries(Map.of(TierRecord.STATE, TierState.DELETING.text())));
        return out;
    }

    /**
     * @return every record of a synced object (the eviction candidates at start).
     */
    public List<Entry> synced()
    {
        return entries(Map.of(TierRecord.STATE, TierState.SYNCED.text()));
    }

    private List<Entry> entries(final Map<String, String> filter)
    {
        final List<Entry> out = new ArrayList<>();
        for (final ObjectRecord record : listAll(OBJECTS, filter))
        {
            final String rest = record.key().substring(OBJECTS.length());
            final int slash = rest.indexOf('/');
            out.add(new Entry(rest.substring(0, slash), rest.substring(slash + 1), TierRecord.fromRecord(record)));
        }
        return out;
    }

    private List<ObjectRecord> listAll(final String prefix, final Map<String, String> filter)
    {
        final List<ObjectRecord> out = new ArrayList<>();
        ListRequest request = new ListRequest(prefix, "", PAGE, filter);
        while (true)
        {
            final ListPage page = store.list(request);
            out.addAll(page.objects());
            if (!page.truncated())
            {
                return out;
            }
            request = request.after(page.nextStartAfter());
        }
    }

    private static String objectKey(final String bucket, final String key)
    {
        return OBJECTS + bucket + "/" + key;
    }

    /**
     * One object's record with its name.
     *
     * @param bucket the bucket.
     * @param key    the key.
     * @param record the record.
     */
    public record Entry(String bucket, String key, TierRecord record)
    {
    }
}
