package dev.conduit.nativebindings.uring;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Compares the descriptors with the kernel uapi header: src/test/c/io_uring_layout.c is compiled
 * with gcc and prints what the C compiler thinks. Skipped where gcc or the header is missing.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class DescriptorLayoutTest
{
    private static final Path SOURCE = Path.of("src", "test", "c", "io_uring_layout.c");
    private static final Path HEADER = Path.of("/usr/include/linux/io_uring.h");

    @TempDir
    static Path buildDir;

    private static Map<String, Long> c;

    @BeforeAll
    static void compileAndRun() throws IOException, InterruptedException
    {
        assumeTrue(Files.exists(HEADER), "no " + HEADER);
        final Path binary = buildDir.resolve("io_uring_layout");
        final String compilerOutput = run("gcc", "-O0", "-o", binary.toString(), SOURCE.toAbsolutePath().toString());
        assumeTrue(Files.isExecutable(binary), "gcc unavailable or failed: " + compilerOutput);
        c = new HashMap<>();
        for (final String line : run(binary.toString()).split("\n"))
        {
            final String[] parts = line.trim().split(" ");
            c.put(parts[0], Long.parseLong(parts[1]));
        }
    }

    @Test
    void shouldMatchParamsLayoutOfUapiHeader()
    {
        assertEquals(120, IoUringParamsDescriptor.LENGTH);
        expect("io_uring_params.size", IoUringParamsDescriptor.LENGTH);
        expect("io_uring_params.sq_entries", IoUringParamsDescriptor.SQ_ENTRIES_OFFSET);
        expect("io_uring_params.cq_entries", IoUringParamsDescriptor.CQ_ENTRIES_OFFSET);
        expect("io_uring_params.flags", IoUringParamsDescriptor.FLAGS_OFFSET);
        expect("io_uring_params.sq_thread_idle", IoUringParamsDescriptor.SQ_THREAD_IDLE_OFFSET);
        expect("io_uring_params.features", IoUringParamsDescriptor.FEATURES_OFFSET);
        expect("io_uring_params.sq_off.head", IoUringParamsDescriptor.SQ_HEAD_OFFSET);
        expect("io_uring_params.sq_off.tail", IoUringParamsDescriptor.SQ_TAIL_OFFSET);
        expect("io_uring_params.sq_off.ring_mask", IoUringParamsDescriptor.SQ_RING_MASK_OFFSET);
        expect("io_uring_params.sq_off.ring_entries", IoUringParamsDescriptor.SQ_RING_ENTRIES_OFFSET);
        expect("io_uring_params.sq_off.flags", IoUringParamsDescriptor.SQ_FLAGS_OFFSET);
        expect("io_uring_params.sq_off.dropped", IoUringParamsDescriptor.SQ_DROPPED_OFFSET);
        expect("io_uring_params.sq_off.array", IoUringParamsDescriptor.SQ_ARRAY_OFFSET);
        expect("io_uring_params.cq_off.head", IoUringParamsDescriptor.CQ_HEAD_OFFSET);
        expect("io_uring_params.cq_off.tail", IoUringParamsDescriptor.CQ_TAIL_OFFSET);
        expect("io_uring_params.cq_off.ring_mask", IoUringParamsDescriptor.CQ_RING_MASK_OFFSET);
        expect("io_uring_params.cq_off.ring_entries", IoUringParamsDescriptor.CQ_RING_ENTRIES_OFFSET);
        expect("io_uring_params.cq_off.overflow", IoUringParamsDescriptor.CQ_OVERFLOW_OFFSET);
        expect("io_uring_params.cq_off.cqes", IoUringParamsDescriptor.CQ_CQES_OFFSET);
    }

    @Test
    void shouldMatchSqeLayoutOfUapiHeader()
    {
        assertEquals(64, SqeDescriptor.LENGTH);
        expect("io_uring_sqe.size", SqeDescriptor.LENGTH);
        expect("io_uring_sqe.opcode", SqeDescriptor.OPCODE_OFFSET);
        expect("io_uring_sqe.flags", SqeDescriptor.FLAGS_OFFSET);
        expect("io_uring_sqe.ioprio", SqeDescriptor.IOPRIO_OFFSET);
        expect("io_uring_sqe.fd", SqeDescriptor.FD_OFFSET);
        expect("io_uring_sqe.off", SqeDescriptor.OFF_OFFSET);
        expect("io_uring_sqe.addr", SqeDescriptor.ADDR_OFFSET);
        expect("io_uring_sqe.len", SqeDescriptor.LEN_OFFSET);
        expect("io_uring_sqe.rw_flags", SqeDescriptor.OP_FLAGS_OFFSET);
        expect("io_uring_sqe.fsync_flags", SqeDescriptor.OP_FLAGS_OFFSET);
        expect("io_uring_sqe.user_data", SqeDescriptor.USER_DATA_OFFSET);
        expect("io_uring_sqe.buf_index", SqeDescriptor.BUF_INDEX_OFFSET);
        expect("io_uring_sqe.personality", SqeDescriptor.PERSONALITY_OFFSET);
        expect("io_uring_sqe.file_index", SqeDescriptor.FILE_INDEX_OFFSET);
        expect("io_uring_sqe.addr3", SqeDescriptor.ADDR3_OFFSET);
    }

    @Test
    void shouldMatchCqeAndProbeLayoutsOfUapiHeader()
    {
        assertEquals(16, CqeDescriptor.LENGTH);
        expect("io_uring_cqe.size", CqeDescriptor.LENGTH);
        expect("io_uring_cqe.user_data", CqeDescriptor.USER_DATA_OFFSET);
        expect("io_uring_cqe.res", CqeDescriptor.RES_OFFSET);
        expect("io_uring_cqe.flags", CqeDescriptor.FLAGS_OFFSET);
        expect("io_uring_probe.size", ProbeDescriptor.HEADER_LENGTH);
        expect("io_uring_probe_op.size", ProbeDescriptor.OP_LENGTH);
    }

    @Test
    void shouldMatchConstantsOfUapiHeader()
    {
        expect("IORING_OFF_CQ_RING", IoUringSyscall.IORING_OFF_CQ_RING);
        expect("IORING_OFF_SQES", IoUringSyscall.IORING_OFF_SQES);
        expect("IORING_OP_READ", IoUringOpcode.READ);
        expect("IORING_OP_WRITE", IoUringOpcode.WRITE);
        expect("IORING_OP_READ_FIXED", IoUringOpcode.READ_FIXED);
        expect("IORING_OP_FSYNC", IoUringOpcode.FSYNC);
        expect("IORING_REGISTER_PROBE", IoUringSyscall.IORING_REGISTER_PROBE);
        expect("IORING_SETUP_SQPOLL", IoUringParamsDescriptor.IORING_SETUP_SQPOLL);
        expect("IORING_SQ_CQ_OVERFLOW", IoUringParamsDescriptor.IORING_SQ_CQ_OVERFLOW);
        expect("IOSQE_FIXED_FILE", SqeDescriptor.IOSQE_FIXED_FILE);
    }

    private static void expect(final String name, final long javaValue)
    {
        assertTrue(c.containsKey(name), "C program did not print " + name);
        assertEquals(c.get(name), javaValue, name);
    }

    private static String run(final String... command) throws IOException, InterruptedException
    {
        final Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        final String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(30, TimeUnit.SECONDS))
        {
            process.destroyForcibly();
            throw new IOException("timed out: " + String.join(" ", command));
        }
        return output;
    }
}
