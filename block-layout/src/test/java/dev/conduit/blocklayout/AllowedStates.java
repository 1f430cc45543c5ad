package dev.conduit.blocklayout;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The model crash and fault tests check a store against: for every key, the set of states it may
 * be in. An acknowledged operation narrows the set to its outcome; an operation whose outcome is
 * unknown (it failed, or a crash interrupted it) adds its outcome to the set. A state is the seed
 * and size of {@link TestStores#content} (the seed also fixes the metadata,
 * {@link TestStores#metadata}), or absent.
 */
final class AllowedStates
{
    /** A version of a key's content; {@link #ABSENT} for no object. */
    record State(long seed, int size)
    {
        byte[] bytes()
        {
            return TestStores.content(seed, size);
        }

        ObjectMetadata metadata()
        {
            return TestStores.metadata(seed);
        }
    }

    static final State ABSENT = new State(-1, -1);

    private final Map<String, Set<State>> allowed = new TreeMap<>();

    void acked(final String key, final State state)
    {
        final Set<State> only = new HashSet<>();
        only.add(state);
        allowed.put(key, only);
    }

    void uncertain(final String key, final State state)
    {
        allowed.computeIfAbsent(key, k -> new HashSet<>(Set.of(ABSENT))).add(state);
    }

    /** @return an independent model with the same allowed states, for checking one of several images. */
    AllowedStates copy()
    {
        final AllowedStates copy = new AllowedStates();
        for (final Map.Entry<String, Set<State>> e : allowed.entrySet())
        {
            copy.allowed.put(e.getKey(), new HashSet<>(e.getValue()));
        }
        return copy;
    }

    Set<String> keys()
    {
        return allowed.keySet();
    }

    /**
     * Checks every key of the model and of the store, byte for byte, then narrows each key to the
     * state found (so later rounds build on what the store really holds).
     *
     * @param store the reopened store.
     * @param context printed on failure (seeds, kill point).
     */
    void verifyAndResolve(final ObjectStore store, final String context)
    {
        final Set<String> seen = new HashSet<>();
        ListPage page = store.list(ListRequest.of("", 1000));
        while (true)
        {
            for (final ObjectRecord r : page.objects())
            {
                seen.add(r.key());
            }
            if (!page.truncated())
            {
                break;
            }
            page = store.list(ListRequest.of("", 1000).after(page.nextStartAfter()));
        }
        for (final String key : seen)
        {
            assertTrue(allowed.containsKey(key) && !allowed.get(key).equals(Set.of(ABSENT)),
                context + ": key " + key + " exists but was never (possibly) written");
        }
        for (final Map.Entry<String, Set<State>> e : allowed.entrySet())
        {
            e.setValue(new HashSet<>(Set.of(check(store, e.getKey(), e.getValue(), context))));
        }
    }

    private static State check(final ObjectStore store, final String key, final Set<State> states, final String context)
    {
        final Optional<ObjectRecord> record = store.find(key);
        if (record.isEmpty())
        {
            assertTrue(states.contains(ABSENT), context + ": acknowledged key " + key + " is missing; allowed " + states);
            return ABSENT;
        }
        final byte[] actual = store.getBytes(key);
        final ObjectMetadata metadata = new ObjectMetadata(record.get().contentType(), record.get().userMetadata());
        for (final State s : states)
        {
            // Bytes alone do not tell states apart (every empty object is equal), so the metadata must match too.
            if (s != ABSENT && s.size() == actual.length && java.util.Arrays.equals(s.bytes(), actual) && s.metadata().equals(metadata))
            {
                assertEquals(actual.length, record.get().sizeBytes(), context + ": size of " + key);
                return s;
            }
        }
        fail(context + ": key " + key + " holds " + actual.length + " bytes with " + metadata + ", matching none of " + List.copyOf(states));
        return ABSENT;
    }
}
