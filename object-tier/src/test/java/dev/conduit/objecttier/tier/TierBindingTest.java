package dev.conduit.objecttier.tier;

import java.net.URI;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Cold locations, policies and bindings as written by {@code conduit tier attach} and read back from the catalog. */
@Timeout(10)
class TierBindingTest
{
    @Test
    void shouldParseColdLocationsAndMapKeys()
    {
        final ColdLocation bare = ColdLocation.parse("s3://lake");
        assertEquals("", bare.prefix());
        assertEquals("a/b", bare.coldKey("a/b"));
        final ColdLocation nested = ColdLocation.parse("s3://lake/train/v2");
        assertEquals("lake", nested.bucket());
        assertEquals("train/v2/", nested.prefix());
        assertEquals("train/v2/shard-1.tar", nested.coldKey("shard-1.tar"));
        assertEquals("shard-1.tar", nested.localKey("train/v2/shard-1.tar"));
        assertEquals("s3://lake/train/v2/", nested.toString());
        assertThrows(IllegalArgumentException.class, () -> ColdLocation.parse("lake/train"));
        assertThrows(IllegalArgumentException.class, () -> ColdLocation.parse("s3://"));
    }

    @Test
    void shouldParsePolicies()
    {
        assertTrue(TierPolicy.parse("both").readThrough() && TierPolicy.parse("both").writeBack());
        assertFalse(TierPolicy.parse("Read-Through").writeBack());
        assertFalse(TierPolicy.parse("write-back").readThrough());
        assertThrows(IllegalArgumentException.class, () -> TierPolicy.parse("write-through"));
    }

    @Test
    void shouldRoundTripABindingThroughCatalogMetadata()
    {
        final TierBinding binding = new TierBinding("datasets", ColdLocation.parse("s3://lake/train"), URI.create("http://127.0.0.1:9000"),
            "eu-west-1", "training", TierPolicy.BOTH, 0.25, List.of("pinned/", "val/"));
        assertEquals(binding, TierBinding.fromMetadata("datasets", binding.toMetadata()));
        assertTrue(binding.isPinned("val/x"));
        assertFalse(binding.isPinned("train/x"));
        assertThrows(IllegalArgumentException.class, () -> new TierBinding("b", binding.cold(), binding.endpoint(), "", "",
            TierPolicy.BOTH, 0, List.of()));
    }
}
