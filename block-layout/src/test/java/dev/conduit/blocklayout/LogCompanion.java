package dev.conduit.blocklayout;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A {@link CommitCompanion} for tests: each journal batch with noted writes gets an object
 * {@code .log/<first entry, 8 digits>} with one line per note, {@code note key version} (key and
 * version "-" for a note committed on its own). Entries are numbered from the last stored object,
 * so the log has no gap exactly when every sealed batch that published is stored.
 */
final class LogCompanion implements CommitCompanion
{
    static final String PREFIX = ".log/";

    private long next;
    private Companion sealed;
    private int sealedLines;
    /** Companions settled, by outcome: published or failed. */
    int published;
    int failed;

    /**
     * @param store where earlier log objects are (entries continue after them).
     */
    LogCompanion(final ObjectStore store)
    {
        this.next = lines(store).size();
    }

    @Override
    public Companion seal(final List<Noted> noted)
    {
        final StringBuilder text = new StringBuilder();
        for (final Noted n : noted)
        {
            text.append(n.note()).append(' ')
                .append(n.record() == null ? "-" : n.record().key()).append(' ')
                .append(n.record() == null ? "-" : Long.toString(n.record().version())).append('\n');
        }
        sealed = new Companion(PREFIX + String.format("%08d", next), text.toString().getBytes(StandardCharsets.UTF_8));
        sealedLines = noted.size();
        return sealed;
    }

    @Override
    public void settled(final Companion companion, final RuntimeException failure)
    {
        if (companion != sealed)
        {
            throw new IllegalStateException("settled a companion that was not the last sealed");
        }
        if (failure == null)
        {
            next += sealedLines;
            published++;
        }
        else
        {
            failed++;
        }
        sealed = null;
    }

    /**
     * @param store a store.
     * @return every line of every stored log object, in log order (reading verifies each chunk).
     */
    static List<String> lines(final ObjectStore store)
    {
        final Map<String, String> objects = new TreeMap<>();
        store.forEach(PREFIX, r -> objects.put(r.key(), new String(store.getBytes(r.key()), StandardCharsets.UTF_8)));
        final List<String> lines = new ArrayList<>();
        long expected = 0;
        for (final Map.Entry<String, String> e : objects.entrySet())
        {
            if (Long.parseLong(e.getKey().substring(PREFIX.length())) != expected)
            {
                throw new AssertionError("log object " + e.getKey() + " does not follow entry " + (expected - 1));
            }
            final String[] split = e.getValue().split("\n");
            lines.addAll(List.of(split));
            expected += split.length;
        }
        return lines;
    }
}
