package dev.conduit.cli.nvmf;

import java.io.PrintWriter;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

import dev.conduit.cli.ExitCodes;
import dev.conduit.cli.store.SizeConverter;
import dev.conduit.core.ConduitException;
import dev.conduit.core.ErrorCode;
import dev.conduit.nvmeof.initiator.HostQueue;
import dev.conduit.nvmeof.initiator.NvmfNamespaceProvider;
import dev.conduit.nvmeof.initiator.NvmfUri;
import dev.conduit.nvmeof.initiator.ReconnectPolicy;
import dev.conduit.nvmeof.initiator.RemoteNamespace;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code conduit nvmf check}: connects Conduit's initiator ({@link RemoteNamespace}) to any NVMe/TCP
 * namespace, prints what Identify reported, writes a deterministic pattern from LBA 0 through
 * 4 KiB-aligned native buffers, flushes, reads it back and compares. One {@code ok ...} line per
 * step on stdout; the first failing step ends the run with one error line on stderr and a non-zero
 * exit status. It overwrites the first {@code --size} bytes of the namespace. Never reconnects: a
 * lost connection is a failed check.
 */
@Command(name = "check",
    description = "Connect to an NVMe/TCP namespace, write a pattern from LBA 0, flush, read back and compare (docs/NVMF.md). Overwrites the data.")
public final class NvmfCheckCommand implements Callable<Integer>
{
    /** The host NQN used without {@code --host-nqn}: fixed, so a target can allow-list it. */
    public static final String DEFAULT_HOST_NQN = NvmfNamespaceProvider.DEFAULT_HOST_NQN;

    private static final int ALIGNMENT_BYTES = 4096;
    private static final long CHUNK_BYTES = 1L << 20;
    private static final long PATTERN_SEED = 0x9E37_79B9_7F4A_7C15L;

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "nvmf://HOST:PORT/NQN/NSID", description = "the namespace to check")
    private String uri;

    @Option(names = "--host-nqn", paramLabel = "NQN", defaultValue = DEFAULT_HOST_NQN,
        description = "the host NQN sent in Connect (default ${DEFAULT-VALUE})")
    private String hostNqn;

    @Option(names = "--size", converter = SizeConverter.class, defaultValue = "16m", paramLabel = "SIZE",
        description = "bytes to write and read back from LBA 0 (default 16m)")
    private long sizeBytes;

    @Option(names = "--digests", description = "ask for header and data digests (CRC32C)")
    private boolean digests;

    @Option(names = "--queues", defaultValue = "1", paramLabel = "N",
        description = "I/O queues to connect, each its own TCP connection; transfers are spread over them (default ${DEFAULT-VALUE})")
    private int queues;

    @Override
    public Integer call()
    {
        if (queues < 1 || queues > 64)
        {
            throw new CommandLine.ParameterException(spec.commandLine(), "--queues must be between 1 and 64: " + queues);
        }
        final NvmfUri target = NvmfUri.parse(uri);
        final HostQueue.Options options = HostQueue.Options.of(hostNqn).withDigests(digests, digests);
        final PrintWriter out = spec.commandLine().getOut();
        try (RemoteNamespace ns = RemoteNamespace.connect(target.address(), options, target.nqn(), target.nsid(), queues, ReconnectPolicy.never()))
        {
            out.println("ok identify " + ns.id() + ": block size " + ns.blockSize() + " B, capacity " + ns.capacityBytes()
                + " B (" + ns.capacityBytes() / ns.blockSize() + " blocks), max transfer " + ns.maxTransferBytes() + " B"
                + (digests ? ", header and data digests" : "") + (queues > 1 ? ", " + queues + " I/O queues" : ""));
            out.flush();
            if (sizeBytes <= 0 || sizeBytes % ns.blockSize() != 0 || sizeBytes > ns.capacityBytes())
            {
                throw new ConduitException(ErrorCode.INVALID_ARGUMENT, "--size " + sizeBytes + " must be a positive multiple of the "
                    + ns.blockSize() + "-byte block size and at most the capacity " + ns.capacityBytes());
            }
            try (Arena arena = Arena.ofShared())   // the queue's reading thread fills the read buffer
            {
                final MemorySegment buffer = arena.allocate(Math.min(sizeBytes, CHUNK_BYTES), ALIGNMENT_BYTES);
                final MemorySegment expected = arena.allocate(buffer.byteSize(), ALIGNMENT_BYTES);
                long startNs = System.nanoTime();
                for (long offset = 0; offset < sizeBytes; offset += buffer.byteSize())
                {
                    final MemorySegment chunk = buffer.asSlice(0, Math.min(buffer.byteSize(), sizeBytes - offset));
                    fillPattern(chunk, offset);
                    ns.write(chunk, offset);
                }
                out.println("ok write " + sizeBytes + " B from LBA 0 in " + elapsedMs(startNs) + " ms");
                out.flush();
                ns.flush();
                out.println("ok flush");
                out.flush();
                startNs = System.nanoTime();
                for (long offset = 0; offset < sizeBytes; offset += buffer.byteSize())
                {
                    final long lengthBytes = Math.min(buffer.byteSize(), sizeBytes - offset);
                    final MemorySegment chunk = buffer.asSlice(0, lengthBytes);
                    chunk.fill((byte)0);
                    ns.read(chunk, offset);
                    final MemorySegment want = expected.asSlice(0, lengthBytes);
                    fillPattern(want, offset);
                    final long mismatch = want.mismatch(chunk);
                    if (mismatch >= 0)
                    {
                        throw new ConduitException(ErrorCode.CORRUPT_EXTENT, ns.id() + ": read back differs from what was written at byte "
                            + (offset + mismatch) + " (LBA " + (offset + mismatch) / ns.blockSize() + ")");
                    }
                }
                out.println("ok read back and compare " + sizeBytes + " B in " + elapsedMs(startNs) + " ms");
                out.flush();
            }
        }
        return ExitCodes.OK;
    }

    /** Each 8-byte word is a function of its byte offset in the namespace, so a misplaced block shows. */
    private static void fillPattern(final MemorySegment chunk, final long namespaceOffsetBytes)
    {
        for (long i = 0; i < chunk.byteSize(); i += Long.BYTES)
        {
            final long word = (namespaceOffsetBytes + i) * PATTERN_SEED;
            chunk.set(ValueLayout.JAVA_LONG_UNALIGNED, i, word ^ (word >>> 29));
        }
    }

    private static long elapsedMs(final long startNs)
    {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNs);
    }
}
