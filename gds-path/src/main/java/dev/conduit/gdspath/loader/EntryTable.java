package dev.conduit.gdspath.loader;

import java.util.AbstractList;
import java.util.Arrays;
import java.util.Objects;
import java.util.RandomAccess;

/**
 * The entry table of the batch a ring buffer holds, kept with the buffer and refilled for each batch
 * it carries, so planning a batch allocates no entry per file. As a {@code List} it is read-only and
 * makes a {@link BatchEntry} on each {@link #get}; {@link Batch}'s indexed accessors read the
 * columns without allocating.
 *
 * <p>Threading: filled under the loader's lock before the batch is handed out; read by the consumer
 * while it holds the batch (the buffer, and so the table, is not refilled before the batch is closed).
 */
final class EntryTable extends AbstractList<BatchEntry> implements RandomAccess
{
    private String[] sampleKey = new String[0];
    private String[] name = new String[0];
    private long[] offsetBytes = new long[0];
    private long[] lengthBytes = new long[0];
    private boolean[] padding = new boolean[0];
    private int count;

    /** Empties the table, keeping room for {@code capacity} entries. */
    void reset(final int capacity)
    {
        if (sampleKey.length < capacity)
        {
            sampleKey = Arrays.copyOf(sampleKey, capacity);
            name = Arrays.copyOf(name, capacity);
            offsetBytes = Arrays.copyOf(offsetBytes, capacity);
            lengthBytes = Arrays.copyOf(lengthBytes, capacity);
            padding = Arrays.copyOf(padding, capacity);
        }
        Arrays.fill(sampleKey, 0, count, null);     // keep no key of an earlier batch alive
        Arrays.fill(name, 0, count, null);
        count = 0;
    }

    void add(final String key, final String fileName, final long offset, final long length, final boolean pad)
    {
        final int i = count++;
        sampleKey[i] = key;
        name[i] = fileName;
        offsetBytes[i] = offset;
        lengthBytes[i] = length;
        padding[i] = pad;
    }

    @Override
    public BatchEntry get(final int index)
    {
        return new BatchEntry(sampleKey(index), name[index], offsetBytes[index], lengthBytes[index], padding[index]);
    }

    @Override
    public int size()
    {
        return count;
    }

    String sampleKey(final int index)
    {
        return sampleKey[checked(index)];
    }

    String name(final int index)
    {
        return name[checked(index)];
    }

    long offsetBytes(final int index)
    {
        return offsetBytes[checked(index)];
    }

    long lengthBytes(final int index)
    {
        return lengthBytes[checked(index)];
    }

    boolean padding(final int index)
    {
        return padding[checked(index)];
    }

    private int checked(final int index)
    {
        return Objects.checkIndex(index, count);
    }
}
