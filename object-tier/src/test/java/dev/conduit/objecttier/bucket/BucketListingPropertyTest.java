package dev.conduit.objecttier.bucket;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

import static dev.conduit.objecttier.bucket.TestBuckets.MIB;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * ListObjects against a model: for random key sets over an alphabet chosen to collide (multi-byte
 * characters whose UTF-16 and UTF-8 orders differ, keys equal to the prefix, keys ending in the
 * delimiter, multi-character delimiters), every page that {@link BucketStore#list} returns, and
 * the whole listing paged through with any page size, is exactly what the model below computes
 * from S3's rules. The store is real and shared by all tries; each try has its own bucket.
 */
class BucketListingPropertyTest
{
    private static final List<String> TOKENS = List.of("a", "b", "/", "é", "😀", "\uE000", "-", "a/", "ab");
    private static final Comparator<String> UTF8 = (x, y) ->
        Arrays.compareUnsigned(x.getBytes(StandardCharsets.UTF_8), y.getBytes(StandardCharsets.UTF_8));
    private static final AtomicInteger BUCKETS = new AtomicInteger();

    private static TestBuckets t;

    /** One model page: entries are keys and common prefixes in listing order. */
    private record ModelPage(List<String> keys, List<String> commonPrefixes, boolean truncated, String nextStartAfter)
    {
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

    @Property(tries = 80)
    void shouldPageExactlyAsTheModel(
        @ForAll("keySets") final Set<String> keys,
        @ForAll("prefixes") final String prefix,
        @ForAll("delimiters") final String delimiter,
        @ForAll("prefixes") final String startAfter,
        @ForAll("pageSizes") final int maxKeys)
    {
        final String bucket = "list-" + BUCKETS.incrementAndGet();
        t.buckets().createBucket(bucket);
        for (final String key : keys)
        {
            t.put(bucket, key, new byte[]{1}, S3Metadata.EMPTY);
        }

        // Page through from the generated cursor: every page must be the model's page from the same cursor.
        final List<String> allKeys = new ArrayList<>();
        final List<String> allPrefixes = new ArrayList<>();
        String cursor = startAfter;
        for (int pages = 0; ; pages++)
        {
            assertTrue(pages <= keys.size() + 1, "the listing makes progress");
            final ListResult page = t.buckets().list(bucket, new ListQuery(prefix, delimiter, cursor, maxKeys));
            final ModelPage expected = model(keys, prefix, delimiter, cursor, maxKeys);
            assertEquals(expected.keys(), page.objects().stream().map(S3Object::key).toList(), "keys after '" + cursor + "'");
            assertEquals(expected.commonPrefixes(), page.commonPrefixes(), "common prefixes after '" + cursor + "'");
            assertEquals(expected.truncated(), page.truncated());
            assertEquals(expected.nextStartAfter(), page.nextStartAfter());
            allKeys.addAll(expected.keys());
            allPrefixes.addAll(expected.commonPrefixes());
            if (!page.truncated())
            {
                break;
            }
            cursor = page.nextStartAfter();
        }
        final ModelPage whole = model(keys, prefix, delimiter, startAfter, Integer.MAX_VALUE);
        assertEquals(whole.keys(), allKeys, "paging loses or repeats no key");
        assertEquals(whole.commonPrefixes(), allPrefixes, "paging loses or repeats no common prefix");
    }

    @Example
    void shouldListInUtf8ByteOrderNotJavaStringOrder()
    {
        // U+E000 is one UTF-16 unit above the surrogates that encode U+1F600, but below it in UTF-8.
        final String bucket = "order";
        t.buckets().createBucket(bucket);
        t.put(bucket, "😀", new byte[]{1}, S3Metadata.EMPTY);
        t.put(bucket, "\uE000", new byte[]{1}, S3Metadata.EMPTY);
        assertTrue("😀".compareTo("\uE000") < 0, "Java orders the emoji first");
        final ListResult page = t.buckets().list(bucket, new ListQuery("", "", "", 10));
        assertEquals(List.of("\uE000", "😀"), page.objects().stream().map(S3Object::key).toList());
    }

    @Example
    void shouldListNothingForZeroMaxKeys()
    {
        final String bucket = "zero";
        t.buckets().createBucket(bucket);
        t.put(bucket, "a", new byte[]{1}, S3Metadata.EMPTY);
        final ListResult page = t.buckets().list(bucket, new ListQuery("", "", "", 0));
        assertTrue(page.objects().isEmpty() && page.commonPrefixes().isEmpty());
        assertFalse(page.truncated());
    }

    /**
     * S3's listing rules, written as plainly as possible: the keys under {@code prefix} after
     * {@code startAfter} in UTF-8 order, each one itself or rolled up into the common prefix that
     * ends at the delimiter's first occurrence after the prefix; a common prefix equal to the
     * cursor was the previous page's last entry and is not repeated; the first {@code maxKeys}
     * entries form the page.
     */
    private static ModelPage model(final Set<String> keys, final String prefix, final String delimiter, final String startAfter, final int maxKeys)
    {
        final List<String> entries = new ArrayList<>();
        final List<Boolean> isPrefix = new ArrayList<>();
        for (final String key : keys.stream().sorted(UTF8).toList())
        {
            if (!key.startsWith(prefix) || UTF8.compare(key, startAfter) <= 0)
            {
                continue;
            }
            final int at = delimiter.isEmpty() ? -1 : key.indexOf(delimiter, prefix.length());
            if (at < 0)
            {
                entries.add(key);
                isPrefix.add(false);
                continue;
            }
            final String commonPrefix = key.substring(0, at + delimiter.length());
            if (!commonPrefix.equals(startAfter) && (entries.isEmpty() || !entries.getLast().equals(commonPrefix)))
            {
                entries.add(commonPrefix);
                isPrefix.add(true);
            }
        }
        final int n = Math.min(maxKeys, entries.size());
        final List<String> pageKeys = new ArrayList<>();
        final List<String> pagePrefixes = new ArrayList<>();
        for (int i = 0; i < n; i++)
        {
            (isPrefix.get(i) ? pagePrefixes : pageKeys).add(entries.get(i));
        }
        final boolean truncated = entries.size() > n;
        return new ModelPage(pageKeys, pagePrefixes, truncated, truncated ? entries.get(n - 1) : "");
    }

    @Provide
    Arbitrary<Set<String>> keySets()
    {
        return Arbitraries.of(TOKENS).list().ofMinSize(1).ofMaxSize(5).map(tokens -> String.join("", tokens))
            .filter(key -> !key.startsWith("/"))
            .set().ofMaxSize(24);
    }

    @Provide
    Arbitrary<String> prefixes()
    {
        return Arbitraries.oneOf(Arbitraries.just(""), Arbitraries.of(TOKENS).list().ofMinSize(1).ofMaxSize(3).map(tokens -> String.join("", tokens)));
    }

    @Provide
    Arbitrary<String> delimiters()
    {
        return Arbitraries.of("", "/", "a/", "b", "😀", "-a");
    }

    @Provide
    Arbitrary<Integer> pageSizes()
    {
        return Arbitraries.oneOf(Arbitraries.integers().between(1, 6), Arbitraries.just(1000));
    }
}
