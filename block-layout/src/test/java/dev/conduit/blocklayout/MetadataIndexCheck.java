package dev.conduit.blocklayout;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import dev.conduit.blocklayout.MetadataPredicate.Op;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Checks that a store's metadata search agrees with its catalog: for every metadata name and value
 * present, and for numeric ranges around the middle value, {@link ObjectStore#find} returns exactly
 * the listed keys whose metadata satisfies the condition. Crash tests call it on every recovered
 * image, so a search index out of step with the catalog after a crash would show.
 */
final class MetadataIndexCheck
{
    private MetadataIndexCheck()
    {
    }

    static void assertConsistent(final ObjectStore store, final String context)
    {
        final List<ObjectRecord> all = store.list(ListRequest.of("", ListRequest.MAX_LIMIT)).objects();
        final List<MetadataPredicate> predicates = new ArrayList<>();
        final TreeSet<Double> numbers = new TreeSet<>();
        for (final ObjectRecord record : all)
        {
            for (final Map.Entry<String, String> entry : record.userMetadata().entrySet())
            {
                predicates.add(new MetadataPredicate(entry.getKey(), Op.EQ, entry.getValue()));
                predicates.add(new MetadataPredicate(entry.getKey(), Op.EXISTS, ""));
                final double number = MetadataPredicate.number(entry.getValue());
                if (!Double.isNaN(number))
                {
                    numbers.add(number);
                }
            }
        }
        if (!numbers.isEmpty())
        {
            final String middle = Double.toString(new ArrayList<>(numbers).get(numbers.size() / 2));
            // TestStores.metadata keeps the writer's seed under "seed".
            for (final Op op : List.of(Op.LT, Op.LE, Op.GT, Op.GE))
            {
                predicates.add(new MetadataPredicate("seed", op, middle));
            }
        }
        for (final MetadataPredicate predicate : new LinkedHashSet<>(predicates))
        {
            final List<String> expected = all.stream().filter(r -> predicate.test(r.userMetadata()))
                .map(ObjectRecord::key).toList();
            final List<String> found = store.find(new MetadataQuery("", List.of(predicate), "", ListRequest.MAX_LIMIT))
                .objects().stream().map(ObjectRecord::key).toList();
            assertEquals(expected, found, context + ": metadata search for " + predicate);
        }
    }
}
