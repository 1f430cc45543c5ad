package dev.conduit.objecttier.bucket;

import java.util.List;
import java.util.Set;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;

/**
 * Generators for the listing properties: keys built from a few tokens so that they collide,
 * share prefixes, equal a prefix, end in a delimiter, and mix characters whose UTF-16 and UTF-8
 * orders differ ({@code U+E000} and {@code U+1F600}).
 */
final class ListingArbitraries
{
    private static final List<String> TOKENS = List.of("a", "b", "/", "é", "😀", "\uE000", "-", "a/", "ab");

    private ListingArbitraries()
    {
    }

    static Arbitrary<Set<String>> keySets(final int maxKeys)
    {
        return Arbitraries.of(TOKENS).list().ofMinSize(1).ofMaxSize(5).map(tokens -> String.join("", tokens))
            .filter(key -> !key.startsWith("/"))
            .set().ofMaxSize(maxKeys);
    }

    /** Prefixes and markers: often empty, else a few tokens (often a key of the set, or a prefix of one). */
    static Arbitrary<String> prefixes()
    {
        return Arbitraries.oneOf(Arbitraries.just(""), Arbitraries.of(TOKENS).list().ofMinSize(1).ofMaxSize(3).map(tokens -> String.join("", tokens)));
    }

    static Arbitrary<String> delimiters()
    {
        return Arbitraries.of("", "/", "a/", "b", "😀", "-a");
    }

    static Arbitrary<Integer> pageSizes()
    {
        return Arbitraries.oneOf(Arbitraries.integers().between(1, 6), Arbitraries.just(1000));
    }
}
