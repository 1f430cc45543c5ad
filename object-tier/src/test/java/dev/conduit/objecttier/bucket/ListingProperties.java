package dev.conduit.objecttier.bucket;

import java.util.Set;

import net.jqwik.api.Arbitrary;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

import static dev.conduit.objecttier.bucket.TestBuckets.MIB;

/**
 * Base of the listing properties: one real store for all tries of a container (opening one per
 * try would dominate the run; each try makes its own bucket instead) and the generators of
 * {@link ListingArbitraries} as providers. Containers run one after another, so the one static
 * store is never shared by two at once.
 */
abstract class ListingProperties
{
    /** The store of the running container. */
    static TestBuckets t;

    private final int maxKeys;

    /** @param maxKeys most keys in one generated set: bounds each try's work. */
    ListingProperties(final int maxKeys)
    {
        this.maxKeys = maxKeys;
    }

    @BeforeContainer
    static void openStore()
    {
        t = TestBuckets.create(64L * MIB);
    }

    @AfterContainer
    static void closeStore()
    {
        t.close();
    }

    @Provide
    Arbitrary<Set<String>> keySets()
    {
        return ListingArbitraries.keySets(maxKeys);
    }

    @Provide
    Arbitrary<String> prefixes()
    {
        return ListingArbitraries.prefixes();
    }

    @Provide
    Arbitrary<String> delimiters()
    {
        return ListingArbitraries.delimiters();
    }

    @Provide
    Arbitrary<Integer> pageSizes()
    {
        return ListingArbitraries.pageSizes();
    }
}
