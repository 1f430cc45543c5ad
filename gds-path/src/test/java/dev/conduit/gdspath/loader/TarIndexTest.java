package dev.conduit.gdspath.loader;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;

import dev.conduit.blocklayout.ObjectMetadata;
import dev.conduit.blocklayout.ObjectRecord;
import dev.conduit.blocklayout.ObjectStore;
import dev.conduit.core.ConduitException;
import dev.conduit.core.ErrorCode;
import dev.conduit.gdspath.DeviceBuffer;
import dev.conduit.gdspath.DeviceBufferPool;
import dev.conduit.gdspath.TestStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Tar shards made by GNU tar, stored in a real store, indexed through the data path. */
@Timeout(120)
class TarIndexTest
{
    private static final long MIB = 1L << 20;
    private static final String LONG_DIR = "d".repeat(90) + "/" + "e".repeat(60) + "/";
    private static final String VERY_LONG = "x".repeat(120) + "/" + "y".repeat(120) + "/" + "z".repeat(80) + ".bin";

    /** Names that need ustar's prefix field (150 chars with slashes) and a GNU long name or pax path (over 255). */
    private static final List<String> NAMES = List.of(
        "s000001.jpg", "s000001.cls",
        LONG_DIR + "s000002.jpg", LONG_DIR + "s000002.json",
        VERY_LONG,
        "empty000003.txt",
        "big000004.bin",
        "s000005.seg.png");
    private static final int[] SIZES = {
        700_000, 3,
        (int)(1.3 * MIB), 0,
        5000,
        0,
        (int)(2.5 * MIB) + 17,
        1};

    @ParameterizedTest
    @ValueSource(strings = {"gnu", "pax"})
    void shouldIndexEveryMemberByteExactIncludingLongNamesEmptyMembersAndChunkCrossings(final String format) throws Exception
    {
        try (TestStore fixture = new TestStore("tar-" + format, 64 * MIB))
        {
            final ObjectStore store = fixture.scheduled().store();
            final TarShards shards = new TarShards(11);
            shards.put(store, fixture.work(), "shard.tar", format, NAMES, SIZES);

            final TarIndex index = index(fixture, "shard.tar");

            assertEquals(NAMES, index.members().stream().map(TarMember::name).toList());
            boolean crossesChunk = false;
            for (final TarMember member : index.members())
            {
                assertArrayEquals(shards.content("shard.tar", member.name()), readMember(fixture, "shard.tar", member),
                    member.name());
                crossesChunk |= member.lengthBytes() > 0 && member.dataOffsetBytes() / MIB != (member.endBytes() - 1) / MIB;
            }
            assertTrue(crossesChunk, "the fixture must have a member crossing a 1 MiB chunk boundary");
        }
    }

    @Test
    void shouldGroupConsecutiveFilesOfOneSampleByKeyLikeWebDataset() throws Exception
    {
        try (TestStore fixture = new TestStore("tar-group", 64 * MIB))
        {
            new TarShards(3).put(fixture.scheduled().store(), fixture.work(), "shard.tar", "gnu", NAMES, SIZES);

            final List<Sample> samples = index(fixture, "shard.tar").samples();

            final List<String> keys = samples.stream().map(Sample::key).toList();
            assertEquals(List.of("s000001", LONG_DIR + "s000002", VERY_LONG.substring(0, VERY_LONG.length() - 4),
                "empty000003", "big000004", "s000005"), keys);
            assertEquals(List.of(2, 2, 1, 1, 1, 1), samples.stream().map(s -> s.members().size()).toList());
            assertEquals("s000005.seg.png", samples.getLast().members().getFirst().name());
        }
    }

    @Test
    void shouldCacheTheIndexAsASidecarAndRebuildItWhenTheShardIsReplaced() throws Exception
    {
        try (TestStore fixture = new TestStore("tar-sidecar", 64 * MIB))
        {
            final ObjectStore store = fixture.scheduled().store();
            final TarShards shards = new TarShards(5);
            shards.put(store, fixture.work(), "shard.tar", "gnu", NAMES, SIZES);
            final TarIndex first = index(fixture, "shard.tar");
            final ObjectRecord shard = store.stat("shard.tar");

            final TarIndex cached = TarIndexCodec.decode(store.getBytes("shard.tar.idx"), shard.sizeBytes(), shard.etag());
            assertEquals(first.members(), cached.members());

            final List<String> fewer = List.of("a000001.txt", "a000002.txt");
            shards.put(store, fixture.work(), "shard.tar", "gnu", fewer, new int[] {10, 20});
            final ObjectRecord replaced = store.stat("shard.tar");
            assertEquals(null, TarIndexCodec.decode(store.getBytes("shard.tar.idx"), replaced.sizeBytes(), replaced.etag()));

            final TarIndex rebuilt = index(fixture, "shard.tar");
            assertEquals(fewer, rebuilt.members().stream().map(TarMember::name).toList());
            assertNotEquals(first.members(), rebuilt.members());
        }
    }

    @Test
    void shouldRefuseAHeaderWhoseChecksumDoesNotMatch() throws Exception
    {
        try (TestStore fixture = new TestStore("tar-bad", 64 * MIB))
        {
            final byte[] tar = new TarShards(7).tar(fixture.work(), "shard.tar", "gnu", List.of("a.bin", "b.bin"),
                new int[] {600, 10});
            tar[512 + 1024 + 3] ^= 0x01;  // second header's name: 512 header + 1024 data of a.bin
            final MemorySegment bytes = MemorySegment.ofArray(tar);

            final ConduitException e = assertThrows(ConduitException.class,
                () -> TarIndex.scan((off, len) -> bytes.asSlice(off, len), tar.length));

            assertEquals(ErrorCode.BAD_FORMAT, e.code());
            assertTrue(e.getMessage().contains("checksum"), e.getMessage());
        }
    }

    private static TarIndex index(final TestStore fixture, final String key)
    {
        final ObjectStore store = fixture.scheduled().store();
        try (DeviceBufferPool pool = DeviceBufferPool.host(TarIndex.WINDOW_BYTES, 1);
             DeviceBuffer window = pool.acquire())
        {
            return ShardCatalog.indexOf(key, store.stat(key), store, fixture.path(), window);
        }
    }

    private static byte[] readMember(final TestStore fixture, final String key, final TarMember member)
    {
        try (DeviceBufferPool pool = DeviceBufferPool.host(Math.max(1, member.lengthBytes()), 1);
             DeviceBuffer buffer = pool.acquire())
        {
            fixture.path().read(key, member.dataOffsetBytes(), member.lengthBytes(), buffer, 0).join();
            return buffer.segment().asSlice(0, member.lengthBytes()).toArray(ValueLayout.JAVA_BYTE);
        }
    }
}
