package dev.conduit.blocklayout;

import java.util.BitSet;

/**
 * One put or delete waiting in the group-commit queue. Created by the caller's thread, completed
 * by whichever thread leads the group commit; the fields after construction are written by the
 * leader under the pipeline lock and read by the caller after {@link #done} is seen under the
 * same lock.
 */
final class PendingCommit
{
    final int type;
    final byte[] record;
    final byte[] key;
    final ObjectLayout layout;
    final BitSet dirtyNamespaces;
    final boolean retireSpace;

    long version;
    boolean done;
    RuntimeException failure;
    byte[] replaced;

    private PendingCommit(
        final int type, final byte[] record, final byte[] key, final ObjectLayout layout, final BitSet dirtyNamespaces, final boolean retireSpace)
    {
        this.retireSpace = retireSpace;
        this.type = type;
        this.record = record;
        this.key = key;
        this.layout = layout;
        this.dirtyNamespaces = dirtyNamespaces;
    }

    /**
     * @param record encoded record (its version is stamped at commit).
     * @param layout the space it owns, returned if the put is not published.
     * @return a pending put.
     */
    static PendingCommit put(final byte[] record, final ObjectLayout layout)
    {
        final BitSet dirty = new BitSet();
        for (final Column c : layout.columns())
        {
            dirty.set(c.namespaceIndex());
        }
        return new PendingCommit(JournalBatchDescriptor.TYPE_PUT, record, null, layout, dirty, true);
    }

    /**
     * @param key         UTF-8 key.
     * @param retireSpace false when the record's extents may overlap live data (fsck drops them and
     *                    lets the next open rebuild free space without them).
     * @return a pending delete.
     */
    static PendingCommit delete(final byte[] key, final boolean retireSpace)
    {
        return new PendingCommit(JournalBatchDescriptor.TYPE_DELETE, null, key, ObjectLayout.EMPTY, new BitSet(), retireSpace);
    }

    boolean isPut()
    {
        return type == JournalBatchDescriptor.TYPE_PUT;
    }

    int bodyBytes()
    {
        return isPut() ? record.length : 10 + key.length;
    }
}
