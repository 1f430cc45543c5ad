package dev.conduit.blocklayout;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import dev.conduit.blocklayout.namespace.MemoryNamespace;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterTry;
import net.jqwik.api.state.Action;
import net.jqwik.api.state.ActionChain;
import net.jqwik.api.state.Transformer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Stateful property: random put / replace / delete / get / list / reopen / crash-reopen against an
 * in-memory model (a sorted map of key to content). After every step the object count agrees;
 * reads, stats and listings agree when they run.
 */
class ObjectStoreStatefulPropertyTest
{
    private static final int[] SIZES = {0, 1, 4095, 4096, 4097, 65_535, 65_536, 200_000, 1_100_000};
    private static final String[] KEYS = {"a/1", "a/2", "a/10", "b/1", "b/x/y", "c", "é", "a/1/deep"};

    private StoreModel current;

    /** The store under test plus the model it must agree with. */
    static final class StoreModel
    {
        final List<MemoryNamespace> namespaces = TestStores.formatted(2, 8 * TestStores.MIB, TestStores.SMALL_JOURNAL);
        final TreeMap<String, long[]> model = new TreeMap<>();
        ObjectStore store = TestStores.open(namespaces);

        void put(final String key, final long seed, final int size)
        {
            final Map<String, String> meta = seed % 2 == 0 ? Map.of("tested", "true") : Map.of();
            final ObjectRecord r = store.put(key, TestStores.content(seed, size), new ObjectMetadata("", meta));
            assertEquals(size, r.sizeBytes());
            model.put(key, new long[] {seed, size});
        }

        void delete(final String key)
        {
            assertEquals(model.remove(key) != null, store.delete(key));
        }

        void get(final String key)
        {
            final long[] expected = model.get(key);
            assertEquals(expected != null, store.find(key).isPresent());
            if (expected != null)
            {
                assertArrayEquals(TestStores.content(expected[0], (int)expected[1]), store.getBytes(key));
            }
        }

        void list(final String prefix, final String startAfter, final int limit, final boolean testedOnly)
        {
            final List<String> expected = model.tailMap(startAfter, false).entrySet().stream()
                .filter(e -> e.getKey().startsWith(prefix))
                .filter(e -> !testedOnly || e.getValue()[0] % 2 == 0)
                .map(Map.Entry::getKey)
                .sorted((x, y) -> Arrays.compareUnsigned(Keys.utf8(x), Keys.utf8(y)))
                .toList();
            final Map<String, String> filter = testedOnly ? Map.of("tested", "true") : Map.of();
            final ListPage page = store.list(new ListRequest(prefix, startAfter, limit, filter));
            assertEquals(expected.subList(0, Math.min(limit, expected.size())), page.objects().stream().map(ObjectRecord::key).toList());
            assertEquals(expected.size() > limit, page.truncated());
        }

        void reopen(final boolean crash)
        {
            if (crash)
            {
                store.abandon();
            }
            else
            {
                store.close();
            }
            store = TestStores.open(namespaces);
        }

        void checkCount()
        {
            assertEquals(model.size(), store.info().objectCount());
        }

        void close()
        {
            store.close();
            TestStores.closeAll(namespaces);
        }
    }

    @Property(tries = 60)
    void shouldAgreeWithASortedMapModel(@ForAll("chains") final ActionChain<StoreModel> chain)
    {
        chain.withInvariant(StoreModel::checkCount).peek(s -> current = s).run();
    }

    @AfterTry
    void closeStore()
    {
        if (current != null)
        {
            current.close();
            current = null;
        }
    }

    @Provide
    Arbitrary<ActionChain<StoreModel>> chains()
    {
        return ActionChain.<StoreModel>startWith(StoreModel::new)
            .withAction(4, new PutAction())
            .withAction(2, new DeleteAction())
            .withAction(2, new GetAction())
            .withAction(2, new ListAction())
            .withAction(1, new ReopenAction())
            .withMaxTransformations(30);
    }

    private static Arbitrary<String> keys()
    {
        return Arbitraries.of(KEYS);
    }

    private static final class PutAction implements Action.Independent<StoreModel>
    {
        @Override
        public Arbitrary<Transformer<StoreModel>> transformer()
        {
            return Combinators.combine(keys(), Arbitraries.longs().between(1, 1_000_000), Arbitraries.of(Arrays.stream(SIZES).boxed().toList()))
                .as((key, seed, size) -> Transformer.mutate("put " + key + " seed=" + seed + " size=" + size, s -> s.put(key, seed, size)));
        }
    }

    private static final class DeleteAction implements Action.Independent<StoreModel>
    {
        @Override
        public Arbitrary<Transformer<StoreModel>> transformer()
        {
            return keys().map(key -> Transformer.mutate("delete " + key, s -> s.delete(key)));
        }
    }

    private static final class GetAction implements Action.Independent<StoreModel>
    {
        @Override
        public Arbitrary<Transformer<StoreModel>> transformer()
        {
            return keys().map(key -> Transformer.mutate("get " + key, s -> s.get(key)));
        }
    }

    private static final class ListAction implements Action.Independent<StoreModel>
    {
        @Override
        public Arbitrary<Transformer<StoreModel>> transformer()
        {
            return Combinators.combine(Arbitraries.of("", "a/", "a/1", "b/", "z"), Arbitraries.of("", "a/1", "a/10", "b/1"),
                    Arbitraries.integers().between(1, 5), Arbitraries.of(true, false))
                .as((prefix, after, limit, tested) -> Transformer.mutate(
                    "list prefix=" + prefix + " after=" + after + " limit=" + limit + " tested=" + tested,
                    s -> s.list(prefix, after, limit, tested)));
        }
    }

    private static final class ReopenAction implements Action.Independent<StoreModel>
    {
        @Override
        public Arbitrary<Transformer<StoreModel>> transformer()
        {
            return Arbitraries.of(true, false).map(crash -> Transformer.mutate(crash ? "crash and reopen" : "close and reopen", s -> s.reopen(crash)));
        }
    }
}
