package dev.conduit.blocklayout;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.conduit.core.ConduitException;

/**
 * Byte layout of an object record, version 2 (docs/FORMAT.md section 3; a version 1 record is a
 * version 2 record with neither version flag). The same bytes are the
 * in-memory catalog value, the body of a journal PUT and a checkpoint entry. Accessors read fields
 * in place so scans (listing, allocator rebuild, metadata filters) allocate nothing.
 *
 * <pre>
 *  +0      keyLength u16 (K)      +2 key (K bytes, UTF-8)
 *  +2+K    version u64            +10+K sizeBytes u64       +18+K createdMs u64
 *  +26+K   etag (16, MD5)
 *  +42+K   chunkShift u8          +43+K stripeShift u8      +44+K columnCount u8   +45+K flags u8
 *  +46+K   contentTypeLength u16  +48+K metaLength u16      +50+K chunkCount u32
 *  +54+K   contentType | meta (pairCount u16, (kLen u16, k, vLen u16, v)*)
 *          | columns (ns u16, extentCount u16, (offsetBytes u64, lengthBytes u64)*)*
 *          | chunk crc32c u32 × chunkCount
 *          | partCount u32 (only when flags has FLAG_MULTIPART)
 *          | versionId u64 (only when flags has FLAG_VERSIONED)
 * </pre>
 *
 * <p>flags: bit 0 {@link #FLAG_MULTIPART}: the etag is S3's multipart ETag (MD5 of the parts'
 * binary ETags), shown with {@code -partCount}; bit 1 {@link #FLAG_VERSIONED}: the record has a
 * version id of its own (written in a versioned bucket; without it the record is the key's
 * {@code null} version); bit 2 {@link #FLAG_DELETE_MARKER}: the record is a delete marker (no
 * content, lives only in the version history). The other bits are 0, and a record with any of
 * them set is rejected as corrupt, so a later flag is never silently misread.
 */
public final class ObjectRecordDescriptor
{
    static final int VERSION_OFFSET = 2;
    static final int SIZE_OFFSET = 10;
    static final int CREATED_OFFSET = 18;
    static final int ETAG_OFFSET = 26;
    static final int CHUNK_SHIFT_OFFSET = 42;
    static final int STRIPE_SHIFT_OFFSET = 43;
    static final int COLUMN_COUNT_OFFSET = 44;
    static final int FLAGS_OFFSET = 45;
    static final int CONTENT_TYPE_LENGTH_OFFSET = 46;
    static final int META_LENGTH_OFFSET = 48;
    static final int CHUNK_COUNT_OFFSET = 50;
    static final int FIXED_LENGTH = 54;
    static final int ETAG_LENGTH = 16;
    static final int EXTENT_LENGTH = 16;
    /** Flag: the record is a composed (multipart) object; a partCount u32 ends the record. */
    static final int FLAG_MULTIPART = 1;
    static final int PART_COUNT_LENGTH = 4;
    /** Flag (format v2): the record carries a version id (a u64 after everything else). */
    static final int FLAG_VERSIONED = 2;
    /** Flag (format v2): the record is a delete marker. */
    static final int FLAG_DELETE_MARKER = 4;
    static final int VERSION_ID_LENGTH = 8;
    private static final int KNOWN_FLAGS = FLAG_MULTIPART | FLAG_VERSIONED | FLAG_DELETE_MARKER;

    private ObjectRecordDescriptor()
    {
    }

    /** Receives the extents of a record without materialising a layout. */
    @FunctionalInterface
    public interface ExtentSink
    {
        /**
         * @param namespaceIndex namespace.
         * @param offsetBytes    physical offset.
         * @param lengthBytes    length.
         */
        void accept(int namespaceIndex, long offsetBytes, long lengthBytes);
    }

    /**
     * @param r a record.
     * @return its bytes.
     */
    public static byte[] encode(final ObjectRecord r)
    {
        final byte[] key = Keys.utf8(r.key());
        final byte[] contentType = r.rawContentType().getBytes(StandardCharsets.UTF_8);
        final byte[] meta = encodeMeta(r.userMetadata());
        final List<Column> columns = r.layout().columns();
        int columnBytes = 0;
        for (final Column c : columns)
        {
            columnBytes += 4 + EXTENT_LENGTH * c.extents().size();
        }
        final int[] crcs = r.chunkCrcsUnsafe();
        final int k = key.length;
        final boolean multipart = r.partCount() > 0;
        final int trailerBytes = (multipart ? PART_COUNT_LENGTH : 0) + (r.isVersioned() ? VERSION_ID_LENGTH : 0);
        final byte[] b = new byte[FIXED_LENGTH + k + contentType.length + meta.length + columnBytes + 4 * crcs.length + trailerBytes];
        Bytes.u16(b, 0, k);
        System.arraycopy(key, 0, b, 2, k);
        Bytes.u64(b, VERSION_OFFSET + k, r.version());
        Bytes.u64(b, SIZE_OFFSET + k, r.sizeBytes());
        Bytes.u64(b, CREATED_OFFSET + k, r.createdMs());
        System.arraycopy(r.etagUnsafe(), 0, b, ETAG_OFFSET + k, ETAG_LENGTH);
        b[CHUNK_SHIFT_OFFSET + k] = (byte)r.chunkShift();
        b[STRIPE_SHIFT_OFFSET + k] = (byte)r.layout().stripeShift();
        b[COLUMN_COUNT_OFFSET + k] = (byte)columns.size();
        b[FLAGS_OFFSET + k] = (byte)((multipart ? FLAG_MULTIPART : 0) | (r.isVersioned() ? FLAG_VERSIONED : 0)
            | (r.isDeleteMarker() ? FLAG_DELETE_MARKER : 0));
        Bytes.u16(b, CONTENT_TYPE_LENGTH_OFFSET + k, contentType.length);
        Bytes.u16(b, META_LENGTH_OFFSET + k, meta.length);
        Bytes.u32(b, CHUNK_COUNT_OFFSET + k, crcs.length);
        int at = FIXED_LENGTH + k;
        System.arraycopy(contentType, 0, b, at, contentType.length);
        at += contentType.length;
        System.arraycopy(meta, 0, b, at, meta.length);
        at += meta.length;
        for (final Column c : columns)
        {
            Bytes.u16(b, at, c.namespaceIndex());
            Bytes.u16(b, at + 2, c.extents().size());
            at += 4;
            for (final Extent e : c.extents())
            {
                Bytes.u64(b, at, e.offsetBytes());
                Bytes.u64(b, at + 8, e.lengthBytes());
                at += EXTENT_LENGTH;
            }
        }
        for (final int crc : crcs)
        {
            Bytes.u32(b, at, crc);
            at += 4;
        }
        if (multipart)
        {
            Bytes.u32(b, at, r.partCount());
            at += PART_COUNT_LENGTH;
        }
        if (r.isVersioned())
        {
            Bytes.u64(b, at, r.versionId());
        }
        return b;
    }

    /**
     * Decodes and bounds-checks a record.
     *
     * @param b record bytes.
     * @return the record.
     * @throws dev.conduit.core.ConduitException {@code CORRUPT} when the bytes do not form a record.
     */
    public static ObjectRecord decode(final byte[] b)
    {
        try
        {
            final int k = keyLength(b);
            final String key = new String(b, 2, k, StandardCharsets.UTF_8);
            final int chunkShift = Byte.toUnsignedInt(b[CHUNK_SHIFT_OFFSET + k]);
            final int stripeShift = Byte.toUnsignedInt(b[STRIPE_SHIFT_OFFSET + k]);
            final int columnCount = Byte.toUnsignedInt(b[COLUMN_COUNT_OFFSET + k]);
            final int contentTypeLength = Bytes.u16(b, CONTENT_TYPE_LENGTH_OFFSET + k);
            final int metaLength = Bytes.u16(b, META_LENGTH_OFFSET + k);
            final int chunkCount = Bytes.u32(b, CHUNK_COUNT_OFFSET + k);
            final int flags = Byte.toUnsignedInt(b[FLAGS_OFFSET + k]);
            if ((flags & ~KNOWN_FLAGS) != 0)
            {
                throw LayoutErrors.corrupt("object record " + key, "unknown flags 0x" + Integer.toHexString(flags));
            }
            final boolean multipart = (flags & FLAG_MULTIPART) != 0;
            final boolean versioned = (flags & FLAG_VERSIONED) != 0;
            final boolean marker = (flags & FLAG_DELETE_MARKER) != 0;
            final int trailerBytes = (multipart ? PART_COUNT_LENGTH : 0) + (versioned ? VERSION_ID_LENGTH : 0);
            int at = FIXED_LENGTH + k;
            final String contentType = new String(b, at, contentTypeLength, StandardCharsets.UTF_8);
            at += contentTypeLength;
            final Map<String, String> meta = decodeMeta(b, at, metaLength);
            at += metaLength;
            final List<Column> columns = new ArrayList<>(columnCount);
            for (int c = 0; c < columnCount; c++)
            {
                final int ns = Bytes.u16(b, at);
                final int extentCount = Bytes.u16(b, at + 2);
                at += 4;
                final List<Extent> extents = new ArrayList<>(extentCount);
                for (int i = 0; i < extentCount; i++)
                {
                    extents.add(new Extent(ns, Bytes.u64(b, at), Bytes.u64(b, at + 8)));
                    at += EXTENT_LENGTH;
                }
                columns.add(new Column(ns, extents));
            }
            if (chunkCount < 0 || at + 4L * chunkCount + trailerBytes != b.length || chunkShift < 12 || chunkShift > 30)
            {
                throw LayoutErrors.corrupt("object record " + key, "length or chunk fields are inconsistent");
            }
            final int[] crcs = new int[chunkCount];
            for (int i = 0; i < chunkCount; i++)
            {
                crcs[i] = Bytes.u32(b, at + 4 * i);
            }
            final int partCount = multipart ? Bytes.u32(b, at + 4 * chunkCount) : 0;
            if (multipart && partCount <= 0)
            {
                throw LayoutErrors.corrupt("object record " + key, "multipart record with part count " + partCount);
            }
            if (marker && (sizeBytes(b) != 0 || columnCount != 0 || multipart))
            {
                throw LayoutErrors.corrupt("object record " + key, "a delete marker with content");
            }
            return new ObjectRecord(key, version(b), sizeBytes(b), Bytes.u64(b, CREATED_OFFSET + k),
                Arrays.copyOfRange(b, ETAG_OFFSET + k, ETAG_OFFSET + k + ETAG_LENGTH), contentType, meta, chunkShift, crcs,
                new ObjectLayout(stripeShift, columns), partCount, new ObjectRecord.Versioning(versioned, versioned ? versionId(b) : 0, marker));
        }
        catch (final IndexOutOfBoundsException | IllegalArgumentException e)
        {
            throw LayoutErrors.corrupt("object record", "malformed (" + e.getMessage() + ")");
        }
    }

    /**
     * @param b record bytes.
     * @return the key's length in bytes.
     */
    public static int keyLength(final byte[] b)
    {
        return Bytes.u16(b, 0);
    }

    /**
     * @param key UTF-8 key bytes.
     * @return the key as text, for messages.
     */
    static String keyText(final byte[] key)
    {
        return new String(key, StandardCharsets.UTF_8);
    }

    /**
     * @param b record bytes.
     * @return the key.
     */
    public static String key(final byte[] b)
    {
        return new String(b, 2, keyLength(b), StandardCharsets.UTF_8);
    }

    /**
     * @param b   record bytes.
     * @param key UTF-8 key.
     * @return the unsigned comparison of the record's key with {@code key}.
     */
    public static int compareKey(final byte[] b, final byte[] key)
    {
        return Arrays.compareUnsigned(b, 2, 2 + keyLength(b), key, 0, key.length);
    }

    /**
     * @param b      record bytes.
     * @param prefix UTF-8 prefix.
     * @return true when the key starts with {@code prefix}.
     */
    public static boolean keyStartsWith(final byte[] b, final byte[] prefix)
    {
        return keyLength(b) >= prefix.length && Arrays.equals(b, 2, 2 + prefix.length, prefix, 0, prefix.length);
    }

    /**
     * @param b record bytes.
     * @return the version.
     */
    public static long version(final byte[] b)
    {
        return Bytes.u64(b, VERSION_OFFSET + keyLength(b));
    }

    /**
     * Stamps the version, assigned at commit time in journal order.
     *
     * @param b       record bytes.
     * @param version the version.
     */
    public static void version(final byte[] b, final long version)
    {
        Bytes.u64(b, VERSION_OFFSET + keyLength(b), version);
    }

    /**
     * @param b record bytes.
     * @return true when the record has a version id of its own (else it is the key's null version).
     */
    static boolean isVersioned(final byte[] b)
    {
        return (b[FLAGS_OFFSET + keyLength(b)] & FLAG_VERSIONED) != 0;
    }

    /**
     * @param b record bytes.
     * @return true for a delete marker.
     */
    static boolean isDeleteMarker(final byte[] b)
    {
        return (b[FLAGS_OFFSET + keyLength(b)] & FLAG_DELETE_MARKER) != 0;
    }

    /**
     * @param b record bytes.
     * @return the version id; 0 for the null version.
     */
    static long versionId(final byte[] b)
    {
        return isVersioned(b) ? Bytes.u64(b, b.length - VERSION_ID_LENGTH) : 0;
    }

    /**
     * Stamps the version id of a new version (assigned at commit, equal to its first version).
     *
     * @param b         record bytes with {@link #FLAG_VERSIONED}.
     * @param versionId the id.
     */
    static void versionId(final byte[] b, final long versionId)
    {
        Bytes.u64(b, b.length - VERSION_ID_LENGTH, versionId);
    }

    /**
     * @param b record bytes.
     * @return the object size.
     */
    public static long sizeBytes(final byte[] b)
    {
        return Bytes.u64(b, SIZE_OFFSET + keyLength(b));
    }

    /**
     * Visits every extent in place.
     *
     * @param b    record bytes.
     * @param sink receives each extent.
     */
    public static void forEachExtent(final byte[] b, final ExtentSink sink)
    {
        final int k = keyLength(b);
        final int columnCount = Byte.toUnsignedInt(b[COLUMN_COUNT_OFFSET + k]);
        int at = FIXED_LENGTH + k + Bytes.u16(b, CONTENT_TYPE_LENGTH_OFFSET + k) + Bytes.u16(b, META_LENGTH_OFFSET + k);
        for (int c = 0; c < columnCount; c++)
        {
            final int ns = Bytes.u16(b, at);
            final int extentCount = Bytes.u16(b, at + 2);
            at += 4;
            for (int i = 0; i < extentCount; i++)
            {
                sink.accept(ns, Bytes.u64(b, at), Bytes.u64(b, at + 8));
                at += EXTENT_LENGTH;
            }
        }
    }

    /**
     * @param b record bytes.
     * @return every extent of the record.
     */
    public static List<Extent> extents(final byte[] b)
    {
        final List<Extent> extents = new ArrayList<>();
        forEachExtent(b, (ns, offset, length) -> extents.add(new Extent(ns, offset, length)));
        return extents;
    }

    /**
     * @param b     record bytes.
     * @param key   UTF-8 metadata key.
     * @param value UTF-8 metadata value.
     * @return true when the record's user metadata maps {@code key} to {@code value}.
     */
    public static boolean metaEquals(final byte[] b, final byte[] key, final byte[] value)
    {
        final int k = keyLength(b);
        if (Bytes.u16(b, META_LENGTH_OFFSET + k) == 0)
        {
            return false;
        }
        int at = FIXED_LENGTH + k + Bytes.u16(b, CONTENT_TYPE_LENGTH_OFFSET + k);
        final int pairs = Bytes.u16(b, at);
        at += 2;
        for (int i = 0; i < pairs; i++)
        {
            final int kl = Bytes.u16(b, at);
            final int vl = Bytes.u16(b, at + 2 + kl);
            if (Arrays.equals(b, at + 2, at + 2 + kl, key, 0, key.length))
            {
                return Arrays.equals(b, at + 4 + kl, at + 4 + kl + vl, value, 0, value.length);
            }
            at += 4 + kl + vl;
        }
        return false;
    }

    /**
     * @param b record bytes.
     * @return the record's user metadata, decoded without the rest of the record (empty when none).
     */
    static Map<String, String> userMetadata(final byte[] b)
    {
        final int k = keyLength(b);
        final int metaLength = Bytes.u16(b, META_LENGTH_OFFSET + k);
        return metaLength == 0 ? Map.of()
            : decodeMeta(b, FIXED_LENGTH + k + Bytes.u16(b, CONTENT_TYPE_LENGTH_OFFSET + k), metaLength);
    }

    private static byte[] encodeMeta(final Map<String, String> meta)
    {
        if (meta.isEmpty())
        {
            return new byte[0];
        }
        final List<byte[]> parts = new ArrayList<>(meta.size() * 2);
        int length = 2;
        for (final Map.Entry<String, String> e : meta.entrySet())
        {
            final byte[] k = Keys.utf8(e.getKey());
            final byte[] v = Keys.utf8(e.getValue());
            parts.add(k);
            parts.add(v);
            length += 4 + k.length + v.length;
        }
        final byte[] out = new byte[length];
        Bytes.u16(out, 0, meta.size());
        int at = 2;
        for (final byte[] part : parts)
        {
            Bytes.u16(out, at, part.length);
            System.arraycopy(part, 0, out, at + 2, part.length);
            at += 2 + part.length;
        }
        return out;
    }

    private static Map<String, String> decodeMeta(final byte[] b, final int offset, final int length)
    {
        if (length == 0)
        {
            return Map.of();
        }
        final int pairs = Bytes.u16(b, offset);
        final Map<String, String> meta = new LinkedHashMap<>();
        int at = offset + 2;
        for (int i = 0; i < pairs; i++)
        {
            final int kl = Bytes.u16(b, at);
            final String k = new String(b, at + 2, kl, StandardCharsets.UTF_8);
            at += 2 + kl;
            final int vl = Bytes.u16(b, at);
            meta.put(k, new String(b, at + 2, vl, StandardCharsets.UTF_8));
            at += 2 + vl;
        }
        if (at != offset + length)
        {
            throw LayoutErrors.corrupt("object record", "metadata block length mismatch");
        }
        return meta;
    }
}
