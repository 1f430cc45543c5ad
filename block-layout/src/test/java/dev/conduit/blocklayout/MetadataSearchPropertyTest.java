package dev.conduit.blocklayout;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

import dev.conduit.blocklayout.MetadataPredicate.Op;
import dev.conduit.blocklayout.namespace.MemoryNamespace;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.From;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.Size;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@link ObjectStore#find} against a brute-force model: random puts, metadata rewrites and deletes,
 * sometimes a close and reopen (the index is rebuilt from the replayed catalog), then random
 * queries, each read page by page (small pages, so the cursor is exercised) through both the
 * index path and the catalog-scan path, and compared with filtering the model.
 */
class MetadataSearchPropertyTest
{
    private static final String[] KEYS = {"a/1", "a/2", "a/10", "a/b/3", "b/1", "b/2", "c", "o/x\u00e9"};
    private static final String[] LOSS = {"0.1", "0.25", "0.3", "-2.5", "-1", "-0.75", "1e-1", "abc", "-0", "0"};
    private static final String[] STAGE = {"tested", "test", "draft", "tested\u0000x"};
    private static final String[] MODEL = {"resnet50", "resnet101", "vit", ""};
    private static final String[] PREFIXES = {"", "a/", "a/b", "b/", "z"};

    record Mutation(int key, int kind, Map<String, String> meta)
    {
    }

    @Provide
    Arbitrary<Mutation> mutations()
    {
        final Arbitrary<Map<String, String>> meta = Combinators.combine(
            Arbitraries.integers().between(-1, LOSS.length - 1),
            Arbitraries.integers().between(-1, STAGE.length - 1),
            Arbitraries.integers().between(-1, MODEL.length - 1))
            .as((l, s, m) ->
            {
                final Map<String, String> out = new HashMap<>();
                if (l >= 0)
                {
                    out.put("m:loss", LOSS[l]);
                }
                if (s >= 0)
                {
                    out.put("t:stage", STAGE[s]);
                }
                if (m >= 0)
                {
                    out.put("m:model", MODEL[m]);
                }
                return out;
            });
        return Combinators.combine(Arbitraries.integers().between(0, KEYS.length - 1),
            Arbitraries.integers().between(0, 9), meta).as(Mutation::new);
    }

    @Provide
    Arbitrary<MetadataPredicate> predicates()
    {
        final Arbitrary<MetadataPredicate> text = Combinators.combine(
            Arbitraries.of("m:loss", "t:stage", "m:model", "m:absent"),
            Arbitraries.of(Op.EQ, Op.PREFIX, Op.EXISTS),
            Arbitraries.of("tested", "test", "resnet", "resnet50", "0.3", "", "vit", "tested\u0000"))
            .as(MetadataPredicate::new);
        final Arbitrary<MetadataPredicate> numeric = Combinators.combine(
            Arbitraries.of("m:loss", "m:loss", "m:loss", "t:stage"),
            Arbitraries.of(Op.LT, Op.LE, Op.GT, Op.GE),
            Arbitraries.of("0.3", "0.1", "0", "-0.5", "-1", "-2", "1e-1"))
            .as(MetadataPredicate::new);
        return Arbitraries.frequencyOf(Tuple.of(1, text), Tuple.of(2, numeric));
    }

    @Property(tries = 150)
    void shouldAnswerLikeFilteringEveryObject(
        @ForAll @Size(max = 40) final List<@From("mutations") Mutation> mutations,
        @ForAll @Size(min = 1, max = 3) final List<@From("predicates") MetadataPredicate> predicates,
        @ForAll("prefixes") final String prefix,
        @ForAll final boolean reopen)
    {
        final List<MemoryNamespace> ns = TestStores.formatted(1, 16 * TestStores.MIB, TestStores.SMALL_JOURNAL);
        final TreeMap<String, Map<String, String>> model = new TreeMap<>(MetadataSearchPropertyTest::compareUtf8);
        ObjectStore store = TestStores.open(ns);
        try
        {
            store.indexMetadata();
            for (final Mutation m : mutations)
            {
                final String key = KEYS[m.key()];
                if (m.kind() == 0)
                {
                    store.delete(key);
                    model.remove(key);
                }
                else if (m.kind() == 1 && model.containsKey(key))
                {
                    store.replaceMetadata(key, new ObjectMetadata("", m.meta()), CommitCondition.NONE);
                    model.put(key, m.meta());
                }
                else
                {
                    store.put(key, new byte[m.kind() * 100], new ObjectMetadata("", m.meta()));
                    model.put(key, m.meta());
                }
            }
            if (reopen)
            {
                store.close();
                store = TestStores.open(ns);
            }
            final List<MetadataQuery> queries = new ArrayList<>();
            queries.add(new MetadataQuery(prefix, predicates, "", 2));
            for (final MetadataPredicate predicate : predicates)
            {
                queries.add(new MetadataQuery("", List.of(predicate), "", 2));
            }
            final MetadataIndex scanning = new MetadataIndex(-1); // never attached: every query scans
            final CatalogIndex catalog = store.catalog();
            for (final MetadataQuery query : queries)
            {
                final List<String> expected = new ArrayList<>();
                for (final Map.Entry<String, Map<String, String>> e : model.entrySet())
                {
                    if (e.getKey().startsWith(query.keyPrefix())
                        && query.predicates().stream().allMatch(p -> p.test(e.getValue())))
                    {
                        expected.add(e.getKey());
                    }
                }
                final ObjectStore searched = store;
                assertEquals(expected, allPages(searched::find, query), "index path: " + query);
                assertEquals(expected, allPages(q -> scanning.find(catalog, q), query), "scan path: " + query);
            }
        }
        finally
        {
            store.close();
            TestStores.closeAll(ns);
        }
    }

    @Provide
    Arbitrary<String> prefixes()
    {
        return Arbitraries.of(PREFIXES);
    }

    private static List<String> allPages(final Function<MetadataQuery, ListPage> find,
        final MetadataQuery first)
    {
        final List<String> keys = new ArrayList<>();
        MetadataQuery query = first;
        for (int page = 0; page < 100; page++)
        {
            final ListPage result = find.apply(query);
            result.objects().forEach(r -> keys.add(r.key()));
            if (!result.truncated())
            {
                return keys;
            }
            query = query.after(result.nextStartAfter());
        }
        throw new AssertionError("more than 100 pages");
    }

    private static int compareUtf8(final String a, final String b)
    {
        return Arrays.compareUnsigned(Keys.utf8(a), Keys.utf8(b));
    }
}
