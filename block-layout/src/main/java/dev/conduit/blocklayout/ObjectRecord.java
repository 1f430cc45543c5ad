package dev.conduit.blocklayout;

import java.util.Collections;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the catalog knows about one object version: key, size, layout, per-chunk CRC-32C, ETag,
 * content type, user metadata, created time and version. Immutable; decoded from the record bytes
 * of {@link ObjectRecordDescriptor} on demand (the catalog keeps only the bytes).
 */
public final class ObjectRecord
{
    /** The content type reported when none was given. */
    public static final String DEFAULT_CONTENT_TYPE = "application/octet-stream";

    private final String key;
    private final long version;
    private final long sizeBytes;
    private final long createdMs;
    private final byte[] etag;
    private final String contentType;
    private final Map<String, String> userMetadata;
    private final int chunkShift;
    private final int[] chunkCrcs;
    private final ObjectLayout layout;
    private final int partCount;
    private final Versioning versioning;

    /**
     * Where a record stands in its key's version chain (format v2).
     *
     * @param versioned    the record has a version id of its own (written in a versioned bucket);
     *                     false for the key's {@code null} version.
     * @param versionId    the id (the store version it was first published with); 0 while a new
     *                     versioned record waits for its commit, and for the null version.
     * @param deleteMarker the record is a delete marker.
     */
    record Versioning(boolean versioned, long versionId, boolean deleteMarker)
    {
        static final Versioning NULL_VERSION = new Versioning(false, 0, false);
    }

    ObjectRecord(
        final String key,
        final long version,
        final long sizeBytes,
        final long createdMs,
        final byte[] etag,
        final String contentType,
        final Map<String, String> userMetadata,
        final int chunkShift,
        final int[] chunkCrcs,
        final ObjectLayout layout,
        final int partCount)
    {
        this(key, version, sizeBytes, createdMs, etag, contentType, userMetadata, chunkShift, chunkCrcs, layout, partCount,
            Versioning.NULL_VERSION);
    }

    ObjectRecord(
        final String key,
        final long version,
        final long sizeBytes,
        final long createdMs,
        final byte[] etag,
        final String contentType,
        final Map<String, String> userMetadata,
        final int chunkShift,
        final int[] chunkCrcs,
        final ObjectLayout layout,
        final int partCount,
        final Versioning versioning)
    {
        this.versioning = versioning;
        this.key = key;
        this.version = version;
        this.sizeBytes = sizeBytes;
        this.createdMs = createdMs;
        this.etag = etag.clone();
        this.contentType = contentType;
        // Sorted, so the encoded metadata block is deterministic (golden files, checksums).
        this.userMetadata = Collections.unmodifiableSortedMap(new TreeMap<>(userMetadata));
        this.chunkShift = chunkShift;
        this.chunkCrcs = chunkCrcs.clone();
        this.layout = layout;
        this.partCount = partCount;
    }

    /** @return the key. */
    public String key()
    {
        return key;
    }

    /** @return the store-wide version number of this put (monotonically increasing). */
    public long version()
    {
        return version;
    }

    /**
     * @return the S3 version id: the id this version got when it was published in a versioned
     *         bucket, or 0 for the key's {@code null} version (written while versioning was off or
     *         suspended). Stable for the life of the version (metadata replaces keep it).
     */
    public long versionId()
    {
        return versioning.versionId();
    }

    /** @return the version id as S3 clients see it ({@link VersionIds#format}). */
    public String versionIdText()
    {
        return VersionIds.format(versioning.versionId());
    }

    /** @return true when the record has a version id of its own (false: the null version). */
    public boolean isVersioned()
    {
        return versioning.versioned();
    }

    /** @return true for a delete marker (no content; the key reads as absent while it is the newest version). */
    public boolean isDeleteMarker()
    {
        return versioning.deleteMarker();
    }

    Versioning versioning()
    {
        return versioning;
    }

    /** @return the content length. */
    public long sizeBytes()
    {
        return sizeBytes;
    }

    /** @return when the put happened, epoch milliseconds. */
    public long createdMs()
    {
        return createdMs;
    }

    /**
     * @return the ETag as S3 clients expect it: the MD5 of the content as 32 lowercase hex digits,
     *         or for an object made by {@link ObjectStore#compose} the MD5 of the parts' binary
     *         ETags followed by {@code -N} (N = {@link #partCount()}).
     */
    public String etag()
    {
        final String hex = HexFormat.of().formatHex(etag);
        return partCount == 0 ? hex : hex + "-" + partCount;
    }

    /** @return the raw 16 bytes of the ETag (the content MD5, or the multipart MD5 of MD5s). */
    public byte[] etagBytes()
    {
        return etag.clone();
    }

    /** @return how many parts {@link ObjectStore#compose} joined into this object; 0 for a plain put. */
    public int partCount()
    {
        return partCount;
    }

    /** @return the content type ({@link #DEFAULT_CONTENT_TYPE} when none was given). */
    public String contentType()
    {
        return contentType.isEmpty() ? DEFAULT_CONTENT_TYPE : contentType;
    }

    /** @return the user metadata (unmodifiable, sorted by key). */
    public Map<String, String> userMetadata()
    {
        return userMetadata;
    }

    /** @return bytes covered by one CRC-32C. */
    public int chunkSizeBytes()
    {
        return 1 << chunkShift;
    }

    /** @return log2 of {@link #chunkSizeBytes()}. */
    public int chunkShift()
    {
        return chunkShift;
    }

    /** @return how many chunks (and CRCs) the object has. */
    public int chunkCount()
    {
        return chunkCrcs.length;
    }

    /**
     * @param index chunk number.
     * @return the CRC-32C recorded for that chunk.
     */
    public int chunkCrc(final int index)
    {
        return chunkCrcs[index];
    }

    /**
     * @param index chunk number.
     * @return bytes of content in that chunk (the last one may be short).
     */
    public long chunkLengthBytes(final int index)
    {
        final long start = (long)index << chunkShift;
        return Math.min(1L << chunkShift, sizeBytes - start);
    }

    /** @return bytes of a 4096-aligned buffer that can receive any chunk of this object via readChunk. */
    public long chunkBufferBytes()
    {
        return Bytes.roundUp(Math.min(1L << chunkShift, Math.max(sizeBytes, 1)), Bytes.BLOCK);
    }

    /** @return where the bytes lie. */
    public ObjectLayout layout()
    {
        return layout;
    }

    int[] chunkCrcsUnsafe()
    {
        return chunkCrcs;
    }

    byte[] etagUnsafe()
    {
        return etag;
    }

    String rawContentType()
    {
        return contentType;
    }

    ObjectRecord withVersion(final long newVersion)
    {
        final Versioning v = versioning.versioned() && versioning.versionId() == 0
            ? new Versioning(true, newVersion, versioning.deleteMarker())
            : versioning;
        return new ObjectRecord(key, newVersion, sizeBytes, createdMs, etag, contentType, userMetadata, chunkShift, chunkCrcs, layout, partCount, v);
    }

    @Override
    public String toString()
    {
        return "ObjectRecord{key=" + key + ", version=" + version + ", versionId=" + versionIdText() + (isDeleteMarker() ? ", deleteMarker" : "")
            + ", size=" + sizeBytes + ", etag=" + etag() + "}";
    }
}
