package dev.conduit.blocklayout;

import java.util.List;

/**
 * The version chains of all keys (docs/FORMAT.md section 3, "Version chains"): the catalog of
 * current versions plus the history of noncurrent versions and delete markers, ordered by key and
 * then newest first. Invariant: a key is in the catalog exactly when its newest version is an
 * object; every other version (noncurrent objects, every delete marker) is in the history.
 *
 * <p>The same methods apply a journal record at commit and at replay, so the two cannot disagree.
 * Threading: mutated only by the group-commit leader (or the loader); readers use the indexes'
 * own locks.
 */
final class VersionChain
{
    private final CatalogIndex current;
    private final CatalogIndex history;

    /**
     * @param current the catalog of current versions.
     * @param history the noncurrent versions and delete markers.
     */
    VersionChain(final CatalogIndex current, final CatalogIndex history)
    {
        this.current = current;
        this.history = history;
    }

    /**
     * Applies a PUT_VERSION record: a new newest version of its key.
     *
     * @param record  stamped record bytes.
     * @param retired receives the records whose space is now free (an earlier null version this one replaces).
     */
    void putVersion(final byte[] record, final List<byte[]> retired)
    {
        final byte[] key = CatalogIndex.BY_KEY.sortKey(record);
        final boolean nullVersion = !ObjectRecordDescriptor.isVersioned(record);
        if (nullVersion)
        {
            final byte[] oldNull = findInHistory(key, 0);
            if (oldNull != null)
            {
                history.remove(CatalogIndex.BY_KEY_NEWEST_FIRST.sortKey(oldNull));
                retired.add(oldNull);
            }
        }
        final byte[] previous = current.remove(key);
        if (previous != null)
        {
            if (nullVersion && !ObjectRecordDescriptor.isVersioned(previous))
            {
                retired.add(previous);
            }
            else
            {
                history.put(previous);
            }
        }
        if (ObjectRecordDescriptor.isDeleteMarker(record))
        {
            history.put(record);
        }
        else
        {
            current.put(record);
        }
    }

    /**
     * Applies a DELETE_VERSION record: removes one version; when it was the newest, the next
     * newest becomes current if it is an object.
     *
     * @param key       UTF-8 key.
     * @param versionId the version's id (0: the null version).
     * @return the removed record (its space is now free), or null when there was no such version.
     */
    byte[] deleteVersion(final byte[] key, final long versionId)
    {
        final byte[] cur = current.get(key);
        final byte[] removed;
        if (cur != null && matches(cur, versionId))
        {
            removed = current.remove(key);
        }
        else
        {
            removed = findInHistory(key, versionId);
            if (removed == null)
            {
                return null;
            }
            history.remove(CatalogIndex.BY_KEY_NEWEST_FIRST.sortKey(removed));
        }
        if (current.get(key) == null)
        {
            final byte[] newest = newestInHistory(key);
            if (newest != null && !ObjectRecordDescriptor.isDeleteMarker(newest))
            {
                history.remove(CatalogIndex.BY_KEY_NEWEST_FIRST.sortKey(newest));
                current.put(newest);
            }
        }
        return removed;
    }

    /**
     * @param key       UTF-8 key.
     * @param versionId an id (0: the null version).
     * @return that version of {@code key}, current or not, or null.
     */
    byte[] find(final byte[] key, final long versionId)
    {
        final byte[] cur = current.get(key);
        return cur != null && matches(cur, versionId) ? cur : findInHistory(key, versionId);
    }

    /**
     * @param key UTF-8 key.
     * @return the newest version of {@code key} (a delete marker when the key reads as deleted), or null.
     */
    byte[] newest(final byte[] key)
    {
        final byte[] cur = current.get(key);
        return cur != null ? cur : newestInHistory(key);
    }

    /**
     * @param key UTF-8 key.
     * @return its newest noncurrent version or delete marker, or null.
     */
    byte[] newestInHistory(final byte[] key)
    {
        final byte[][] found = {null};
        history.scan(CatalogIndex.historyKey(key, -1L), true, record ->
        {
            if (ObjectRecordDescriptor.compareKey(record, key) == 0)
            {
                found[0] = record;
            }
            return false;
        });
        return found[0];
    }

    /**
     * @param key       UTF-8 key.
     * @param versionId an id (0: the null version).
     * @return that version in the history, or null.
     */
    byte[] findInHistory(final byte[] key, final long versionId)
    {
        final byte[][] found = {null};
        history.scan(CatalogIndex.historyKey(key, -1L), true, record ->
        {
            if (ObjectRecordDescriptor.compareKey(record, key) != 0)
            {
                return false;
            }
            if (matches(record, versionId))
            {
                found[0] = record;
                return false;
            }
            return true;
        });
        return found[0];
    }

    /** @return the catalog of current versions. */
    CatalogIndex current()
    {
        return current;
    }

    /** @return the noncurrent versions and delete markers. */
    CatalogIndex history()
    {
        return history;
    }

    static boolean matches(final byte[] record, final long versionId)
    {
        return ObjectRecordDescriptor.versionId(record) == versionId
            && (versionId != 0 || !ObjectRecordDescriptor.isVersioned(record));
    }
}
