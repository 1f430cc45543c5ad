package dev.conduit.blocklayout;

import java.util.List;
import java.util.Map;

import dev.conduit.blocklayout.MetadataPredicate.Op;
import dev.conduit.blocklayout.namespace.MemoryNamespace;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link ObjectStore#find} on chosen cases: number order across signs, prefixes, NUL bytes, updates, stats. */
@Timeout(60)
class MetadataSearchTest
{
    private List<MemoryNamespace> ns;
    private ObjectStore store;

    @BeforeEach
    void setUp()
    {
        ns = TestStores.formatted(1, 16 * TestStores.MIB, TestStores.SMALL_JOURNAL);
        store = TestStores.open(ns);
        put("ckpt/a", Map.of("m:loss", "-1", "t:stage", "tested"));
        put("ckpt/b", Map.of("m:loss", "0.25", "t:stage", "tested"));
        put("ckpt/c", Map.of("m:loss", "0.3", "t:stage", "draft"));
        put("ckpt/d", Map.of("m:loss", "3e-1", "t:stage", "tested\u0000old"));
        put("ckpt/e", Map.of("m:loss", "12", "m:model", "resnet50"));
        put("data/x", Map.of("m:loss", "0.01", "m:model", "resnet101"));
        put("plain", Map.of());
    }

    @AfterEach
    void tearDown()
    {
        store.close();
        TestStores.closeAll(ns);
    }

    private void put(final String key, final Map<String, String> meta)
    {
        store.put(key, new byte[10], new ObjectMetadata("", meta));
    }

    private List<String> find(final String prefix, final MetadataPredicate... predicates)
    {
        return store.find(new MetadataQuery(prefix, List.of(predicates), "", 1000)).objects().stream()
            .map(ObjectRecord::key).toList();
    }

    @Test
    void shouldOrderNumbersAcrossSignsAndNotations()
    {
        assertEquals(List.of("ckpt/a", "ckpt/b", "data/x"), find("", new MetadataPredicate("m:loss", Op.LT, "0.3")));
        assertEquals(List.of("ckpt/a", "ckpt/b", "ckpt/c", "ckpt/d", "data/x"),
            find("", new MetadataPredicate("m:loss", Op.LE, "0.3")));
        assertEquals(List.of("ckpt/c", "ckpt/d", "ckpt/e"), find("", new MetadataPredicate("m:loss", Op.GE, "0.3")));
        assertEquals(List.of("ckpt/e"), find("", new MetadataPredicate("m:loss", Op.GT, "0.3")));
        assertEquals(List.of("ckpt/a"), find("", new MetadataPredicate("m:loss", Op.LT, "-0.5")));
    }

    @Test
    void shouldCombineConditionsUnderAPrefix()
    {
        assertEquals(List.of("ckpt/a", "ckpt/b"), find("ckpt/", new MetadataPredicate("t:stage", Op.EQ, "tested"),
            new MetadataPredicate("m:loss", Op.LT, "0.3")));
        assertEquals(List.of("ckpt/e", "data/x"), find("", new MetadataPredicate("m:model", Op.PREFIX, "resnet")));
        assertEquals(List.of("data/x"), find("data/", new MetadataPredicate("m:model", Op.EXISTS, "")));
        assertEquals(List.of("ckpt/a", "ckpt/b", "ckpt/d"), find("", new MetadataPredicate("t:stage", Op.PREFIX, "tested")));
        assertEquals(List.of("ckpt/d"), find("", new MetadataPredicate("t:stage", Op.EQ, "tested\u0000old")));
    }

    @Test
    void shouldFollowRewritesAndDeletesAndSurviveAReopen()
    {
        final MetadataPredicate tested = new MetadataPredicate("t:stage", Op.EQ, "tested");
        assertEquals(List.of("ckpt/a", "ckpt/b"), find("", tested));
        store.replaceMetadata("ckpt/a", new ObjectMetadata("", Map.of("t:stage", "retired")), CommitCondition.NONE);
        store.delete("ckpt/b");
        put("ckpt/f", Map.of("t:stage", "tested"));
        assertEquals(List.of("ckpt/f"), find("", tested));
        store.close();
        store = TestStores.open(ns);
        assertEquals(List.of("ckpt/f"), find("", tested));
        assertEquals(List.of("ckpt/a"), find("", new MetadataPredicate("t:stage", Op.EQ, "retired")));
    }

    @Test
    void shouldPageInKeyOrderWithACursor()
    {
        final MetadataQuery first = new MetadataQuery("", List.of(new MetadataPredicate("m:loss", Op.EXISTS, "")), "", 4);
        final ListPage page1 = store.find(first);
        assertEquals(List.of("ckpt/a", "ckpt/b", "ckpt/c", "ckpt/d"), page1.objects().stream().map(ObjectRecord::key).toList());
        assertTrue(page1.truncated());
        final ListPage page2 = store.find(first.after(page1.nextStartAfter()));
        assertEquals(List.of("ckpt/e", "data/x"), page2.objects().stream().map(ObjectRecord::key).toList());
        assertTrue(!page2.truncated());
    }

    @Test
    void shouldReportIndexSize()
    {
        final MetadataIndexStats stats = store.indexMetadata();
        assertEquals(7, stats.objects());
        // 12 entries, 6 of them numbers (every loss), so 12 + 6 postings.
        assertEquals(18, stats.postings());
        assertTrue(stats.estimatedBytes() > 18 * MetadataIndex.POSTING_OVERHEAD_BYTES, stats.toString());
        store.delete("ckpt/e");
        assertEquals(15, store.indexMetadata().postings());
    }

    @Test
    void shouldRefuseANumericConditionOnText()
    {
        assertThrows(IllegalArgumentException.class, () -> new MetadataPredicate("m:loss", Op.LT, "low"));
    }
}
