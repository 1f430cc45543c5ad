package dev.conduit.nvmeof.target;

import java.lang.foreign.MemorySegment;

import dev.conduit.blocklayout.namespace.MemoryNamespace;
import dev.conduit.blocklayout.namespace.Namespace;
import dev.conduit.core.ConduitException;
import dev.conduit.nvmeof.command.NvmeStatus;
import dev.conduit.nvmeof.command.Opcodes;
import dev.conduit.nvmeof.command.SqeDescriptor;
import dev.conduit.nvmeof.pdu.Wire;

/**
 * NVM I/O commands over a subsystem's namespaces: Read, Write (FUA honoured with a flush), Flush
 * (one namespace or all), Write Zeroes and Dataset Management (deallocate writes zeroes, which is what
 * DLFEAT promises a later read returns). {@link #check} runs on the reading thread before any data
 * moves, so a bad command is refused without an R2T; {@link #execute} runs on an I/O thread, or on
 * the reading thread when {@link #runsInline} says the command is only a memory copy.
 */
final class IoHandler
{
    private static final long BROADCAST_NSID = 0xFFFF_FFFFL;
    private static final int FUA = 1 << 30;
    private static final int DSM_DEALLOCATE = 1 << 2;
    private static final int DSM_RANGE_BYTES = 16;

    private IoHandler()
    {
    }

    /**
     * Validates opcode, namespace, LBA range and data descriptor; sets {@code command.dataBytes}.
     *
     * @return SUCCESS or the refusing status.
     */
    static int check(final Subsystem subsystem, final Command command, final int maxTransferBytes)
    {
        final int opcode = command.opcode();
        if (opcode != Opcodes.IO_READ && opcode != Opcodes.IO_WRITE && opcode != Opcodes.IO_FLUSH
            && opcode != Opcodes.IO_WRITE_ZEROES && opcode != Opcodes.IO_DATASET_MANAGEMENT)
        {
            return NvmeStatus.INVALID_OPCODE | NvmeStatus.DNR;
        }
        final long nsid = command.nsid();
        if (opcode == Opcodes.IO_FLUSH && nsid == BROADCAST_NSID)
        {
            return NvmeStatus.SUCCESS;
        }
        final Namespace namespace = subsystem.namespace(nsid);
        if (namespace == null)
        {
            return NvmeStatus.INVALID_NAMESPACE | NvmeStatus.DNR;
        }
        if (opcode == Opcodes.IO_FLUSH)
        {
            return NvmeStatus.SUCCESS;
        }
        if (opcode == Opcodes.IO_DATASET_MANAGEMENT)
        {
            final int bytes = ((command.cdw(SqeDescriptor.CDW10_OFFSET) & 0xFF) + 1) * DSM_RANGE_BYTES;
            if (command.sglLength() != bytes)
            {
                return NvmeStatus.SGL_LENGTH_INVALID | NvmeStatus.DNR;
            }
            command.dataBytes = bytes;
            return NvmeStatus.SUCCESS;
        }
        final long slba = startLba(command);
        final int blocks = (command.cdw(SqeDescriptor.CDW12_OFFSET) & 0xFFFF) + 1;
        if (!inRange(namespace, slba, blocks))
        {
            return NvmeStatus.LBA_OUT_OF_RANGE | NvmeStatus.DNR;
        }
        if (opcode == Opcodes.IO_WRITE_ZEROES)
        {
            return NvmeStatus.SUCCESS;
        }
        final long bytes = (long)blocks * namespace.blockSize();
        if (bytes > maxTransferBytes)
        {
            return NvmeStatus.INVALID_FIELD | NvmeStatus.DNR;
        }
        if (command.sglLength() != bytes)
        {
            return NvmeStatus.SGL_LENGTH_INVALID | NvmeStatus.DNR;
        }
        if (opcode == Opcodes.IO_READ && command.sglType() != SqeDescriptor.SGL_TYPE_TRANSPORT)
        {
            return NvmeStatus.SGL_TYPE_INVALID | NvmeStatus.DNR;
        }
        command.dataBytes = (int)bytes;
        return NvmeStatus.SUCCESS;
    }

    /**
     * @return whether a checked command touches only a RAM namespace, so running it costs a memory
     *         copy: less than handing it to another thread (which a file or device namespace needs,
     *         so that one slow transfer never stalls the reading of the next command).
     */
    static boolean runsInline(final Subsystem subsystem, final Command command)
    {
        final long nsid = command.nsid();
        return nsid != BROADCAST_NSID && subsystem.namespace(nsid) instanceof MemoryNamespace;
    }

    /**
     * Runs a checked command; its data (Write, DSM) is already in the command's buffer.
     *
     * @return the completion status.
     */
    static int execute(final Subsystem subsystem, final Command command, final MemorySegment zeroes)
    {
        final long nsid = command.nsid();
        try
        {
            switch (command.opcode())
            {
                case Opcodes.IO_READ ->
                {
                    final Namespace namespace = subsystem.namespace(nsid);
                    namespace.readFully(command.buffer().asSlice(0, command.dataBytes), startLba(command) * namespace.blockSize());
                }
                case Opcodes.IO_WRITE ->
                {
                    final Namespace namespace = subsystem.namespace(nsid);
                    namespace.write(command.buffer().asSlice(0, command.dataBytes), startLba(command) * namespace.blockSize());
                    if ((command.cdw(SqeDescriptor.CDW12_OFFSET) & FUA) != 0)
                    {
                        namespace.flush();
                    }
                }
                case Opcodes.IO_FLUSH ->
                {
                    if (nsid == BROADCAST_NSID)
                    {
                        FabricsHandler.flushAll(subsystem);
                    }
                    else
                    {
                        subsystem.namespace(nsid).flush();
                    }
                }
                case Opcodes.IO_WRITE_ZEROES ->
                {
                    final Namespace namespace = subsystem.namespace(nsid);
                    final int blocks = (command.cdw(SqeDescriptor.CDW12_OFFSET) & 0xFFFF) + 1;
                    writeZeroes(namespace, startLba(command), blocks, zeroes);
                }
                case Opcodes.IO_DATASET_MANAGEMENT ->
                {
                    return datasetManagement(subsystem.namespace(nsid), command, zeroes);
                }
                default -> throw new IllegalStateException("unchecked opcode " + command.opcode());
            }
            return NvmeStatus.SUCCESS;
        }
        catch (final ConduitException e)
        {
            System.getLogger("conduit.nvmf").log(System.Logger.Level.WARNING,
                "nvmf: opcode 0x{0} on namespace {1} failed: {2}", Integer.toHexString(command.opcode()), nsid, e.getMessage());
            return NvmeStatus.INTERNAL_ERROR;
        }
    }

    private static int datasetManagement(final Namespace namespace, final Command command, final MemorySegment zeroes)
    {
        if ((command.cdw(SqeDescriptor.CDW11_OFFSET) & DSM_DEALLOCATE) == 0)
        {
            return NvmeStatus.SUCCESS;   // only hints (access frequency, latency): nothing to do
        }
        final MemorySegment ranges = command.buffer();
        final int count = command.dataBytes / DSM_RANGE_BYTES;
        for (int i = 0; i < count; i++)
        {
            final long blocks = Wire.u32(ranges, (long)i * DSM_RANGE_BYTES + 4);
            final long slba = Wire.u64(ranges, (long)i * DSM_RANGE_BYTES + 8);
            if (!inRange(namespace, slba, blocks))
            {
                return NvmeStatus.LBA_OUT_OF_RANGE | NvmeStatus.DNR;
            }
        }
        for (int i = 0; i < count; i++)
        {
            final long blocks = Wire.u32(ranges, (long)i * DSM_RANGE_BYTES + 4);
            final long slba = Wire.u64(ranges, (long)i * DSM_RANGE_BYTES + 8);
            writeZeroes(namespace, slba, blocks, zeroes);
        }
        return NvmeStatus.SUCCESS;
    }

    private static void writeZeroes(final Namespace namespace, final long slba, final long blocks, final MemorySegment zeroes)
    {
        final int blockSize = namespace.blockSize();
        long offsetBytes = slba * blockSize;
        long leftBytes = blocks * blockSize;
        while (leftBytes > 0)
        {
            final long chunkBytes = Math.min(leftBytes, zeroes.byteSize());
            namespace.write(zeroes.asSlice(0, chunkBytes), offsetBytes);
            offsetBytes += chunkBytes;
            leftBytes -= chunkBytes;
        }
    }

    private static long startLba(final Command command)
    {
        return Wire.u64(command.sqe, SqeDescriptor.CDW10_OFFSET);
    }

    private static boolean inRange(final Namespace namespace, final long slba, final long blocks)
    {
        final long capacityBlocks = namespace.capacityBytes() / namespace.blockSize();
        return slba >= 0 && slba < capacityBlocks && blocks <= capacityBlocks - slba;
    }
}
