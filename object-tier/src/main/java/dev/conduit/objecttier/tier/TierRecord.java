package dev.conduit.objecttier.tier;

import java.util.HashMap;
import java.util.Map;

import dev.conduit.blocklayout.ObjectRecord;

/**
 * What the catalog knows about one object of a tiered bucket (record {@code .tier/o/<bucket>/<key>},
 * 0 bytes, these fields as metadata). It describes one local version: when the object's current
 * version is another, the record is stale and the object counts as {@link TierState#LOCAL}.
 *
 * @param state          {@link TierState#UPLOADING} (journaled write-back), {@link TierState#DELETING} (journaled cold delete),
 *                       {@link TierState#SYNCED} or {@link TierState#COLD_ONLY}.
 * @param localVersion   the local version described (0 for cold-only).
 * @param sizeBytes      the object's size.
 * @param coldEtag       the cold ETag of the same bytes ("" before the upload).
 * @param checkedMs      when the cold ETag was last confirmed (read-through TTL starts here).
 * @param queuedMs       when the upload was first queued (oldest first), or 0.
 * @param recordVersion  the catalog record's own store version (conditional updates), 0 when not stored yet.
 */
public record TierRecord(TierState state, long localVersion, long sizeBytes, String coldEtag, long checkedMs, long queuedMs,
    long recordVersion)
{
    /** Metadata entry that {@link TierCatalog#pendingUploads} filters on. */
    static final String STATE = "state";

    /** @return the record as catalog metadata. */
    Map<String, String> toMetadata()
    {
        final Map<String, String> meta = new HashMap<>();
        meta.put(STATE, state.text());
        meta.put("v", Long.toString(localVersion));
        meta.put("size", Long.toString(sizeBytes));
        meta.put("etag", coldEtag == null ? "" : coldEtag);
        meta.put("checked", Long.toString(checkedMs));
        meta.put("queued", Long.toString(queuedMs));
        return meta;
    }

    /**
     * @param record a catalog record written from {@link #toMetadata()}.
     * @return the tier record.
     */
    static TierRecord fromRecord(final ObjectRecord record)
    {
        final Map<String, String> meta = record.userMetadata();
        return new TierRecord(TierState.parse(meta.get(STATE)), Long.parseLong(meta.get("v")), Long.parseLong(meta.get("size")),
            meta.get("etag"), Long.parseLong(meta.get("checked")), Long.parseLong(meta.get("queued")), record.version());
    }

    /**
     * @param version a local version.
     * @return whether this record describes it.
     */
    public boolean describes(final long version)
    {
        return localVersion == version;
    }
}
