package dev.conduit.blocklayout;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;

import dev.conduit.blocklayout.namespace.TargetDirs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static dev.conduit.blocklayout.TestStores.MIB;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link ListRequest#afterPrefix}: a page starts after every key of a skipped prefix, combined with
 * the listing prefix and cursor; an S3-style delimiter listing built on it matches one computed by
 * brute force and costs one page per common prefix however many keys lie under it.
 */
class CatalogListingTest
{
    private static final List<String> KEYS = List.of(
        "a", "a/", "a/b/1", "a/b/2", "a/b/x/y", "a/c", "a/\u00e9/1", "a/\u00e92", "a/\u00e9\u00e9", "a0", "b", "b/1/2");

    @TempDir(factory = TargetDirs.Factory.class)
    Path dir;

    @Test
    void shouldStartAfterEveryKeyOfTheSkippedPrefix()
    {
        DataDirectory.format(dir, 16 * MIB, 1, FormatOptions.DEFAULT.withJournalBytes(2 * MIB));
        try (ObjectStore store = DataDirectory.open(dir, StoreOptions.DEFAULT))
        {
            for (final String k : KEYS)
            {
                store.put(k, new byte[] {1}, ObjectMetadata.NONE);
            }
            assertEquals(List.of("a/c", "a/\u00e9/1", "a/\u00e92", "a/\u00e9\u00e9"), keys(store, ListRequest.of("a/", 100).afterPrefix("a/b/")));
            assertEquals(List.of("a0", "b", "b/1/2"), keys(store, ListRequest.of("", 100).afterPrefix("a/")));
            assertEquals(List.of("a/\u00e92", "a/\u00e9\u00e9"), keys(store, ListRequest.of("a/", 100).afterPrefix("a/\u00e9/")));
            assertEquals(List.of("b", "b/1/2"), keys(store, ListRequest.of("", 100).after("a0").afterPrefix("a/")), "the later bound wins");
            assertEquals(List.of("a/\u00e9/1", "a/\u00e92"), keys(store, ListRequest.of("a/", 2).after("a/c").afterPrefix("a/b/")),
                "the cursor is past the skipped prefix");
            assertEquals(List.of(), keys(store, ListRequest.of("a/", 100).afterPrefix("a")), "every key of the listing is skipped");
            assertEquals(List.of(), keys(store, ListRequest.of("a/", 100).afterPrefix("a/\u00e9")));
            final ListPage page = store.list(ListRequest.of("a/", 1).afterPrefix("a/b/"));
            assertTrue(page.truncated());
            assertEquals("a/c", page.nextStartAfter());
        }
    }

    @Test
    void shouldListWithDelimiterOnePagePerCommonPrefix()
    {
        DataDirectory.format(dir, 16 * MIB, 1, FormatOptions.DEFAULT.withJournalBytes(2 * MIB));
        final TreeSet<String> all = new TreeSet<>(KEYS);
        for (int i = 0; i < 300; i++)
        {
            all.add("a/b/deep/" + i);
        }
        try (ObjectStore store = DataDirectory.open(dir, StoreOptions.DEFAULT))
        {
            for (final String k : all)
            {
                store.put(k, new byte[0], ObjectMetadata.NONE);
            }
            for (final String prefix : List.of("", "a/", "a/b/", "b/"))
            {
                final List<String> expected = bruteForce(all, prefix);
                final List<String> pages = new ArrayList<>();
                ListRequest request = ListRequest.of(prefix, 1);
                while (true)
                {
                    final ListPage page = store.list(request);
                    if (page.objects().isEmpty())
                    {
                        break;
                    }
                    final String key = page.objects().getFirst().key();
                    final int slash = key.indexOf('/', prefix.length());
                    if (slash >= 0)
                    {
                        final String common = key.substring(0, slash + 1);
                        pages.add(common);
                        request = ListRequest.of(prefix, 1).afterPrefix(common);
                    }
                    else
                    {
                        pages.add(key);
                        request = ListRequest.of(prefix, 1).after(key);
                    }
                }
                assertEquals(expected, pages, "prefix '" + prefix + "'");
            }
        }
    }

    @Test
    void shouldComputeTheSuccessorOfAPrefix()
    {
        assertArrayEquals(new byte[] {'a', '0'}, CatalogListing.successor(new byte[] {'a', '/'}));
        assertArrayEquals(new byte[] {'b'}, CatalogListing.successor(new byte[] {'a', (byte)0xFF, (byte)0xFF}));
        assertArrayEquals(new byte[] {(byte)0xC3, (byte)0xAA}, CatalogListing.successor(new byte[] {(byte)0xC3, (byte)0xA9}));
        assertNull(CatalogListing.successor(new byte[] {(byte)0xFF}));
    }

    /** Keys and common prefixes of a delimiter listing, in the order S3 returns them. */
    private static List<String> bruteForce(final TreeSet<String> all, final String prefix)
    {
        final TreeSet<String> out = new TreeSet<>(CatalogListingTest::compareUtf8);
        for (final String k : all)
        {
            if (k.startsWith(prefix))
            {
                final int slash = k.indexOf('/', prefix.length());
                out.add(slash >= 0 ? k.substring(0, slash + 1) : k);
            }
        }
        return new ArrayList<>(out);
    }

    private static int compareUtf8(final String a, final String b)
    {
        return Arrays.compareUnsigned(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }

    private static List<String> keys(final ObjectStore store, final ListRequest request)
    {
        final List<String> keys = new ArrayList<>();
        for (final ObjectRecord r : store.list(request).objects())
        {
            keys.add(r.key());
        }
        return keys;
    }
}
