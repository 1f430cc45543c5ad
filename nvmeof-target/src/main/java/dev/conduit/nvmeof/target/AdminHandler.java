package dev.conduit.nvmeof.target;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import dev.conduit.blocklayout.namespace.Namespace;
import dev.conduit.nvmeof.command.NvmeStatus;
import dev.conduit.nvmeof.command.Opcodes;
import dev.conduit.nvmeof.command.SqeDescriptor;

/**
 * Admin commands: Identify, Get Log Page, Set/Get Features (number of queues, async event
 * configuration, keep-alive timer), Keep Alive, Asynchronous Event Request (held) and Abort. A
 * discovery controller answers only the subset the discovery service needs.
 *
 * <p>Threading: the admin queue's reading thread; none of these touches a namespace's data, so
 * none blocks for long.
 */
final class AdminHandler
{
    /** Returned instead of a status when the command is held (an Asynchronous Event Request). */
    static final int HELD = -1;
    private static final int BROADCAST_NSID = 0xFFFF_FFFF;

    private AdminHandler()
    {
    }

    static int execute(
        final QueueConnection queue,
        final Controller controller,
        final Command command,
        final MemorySegment rx,
        final int dataOffset,
        final int dataBytes)
    {
        return switch (command.opcode())
        {
            case Opcodes.ADMIN_IDENTIFY -> identify(queue, controller, command);
            case Opcodes.ADMIN_GET_LOG_PAGE -> getLogPage(queue, controller, command);
            case Opcodes.ADMIN_SET_FEATURES -> setFeatures(controller, command);
            case Opcodes.ADMIN_GET_FEATURES -> getFeatures(controller, command);
            case Opcodes.ADMIN_KEEP_ALIVE -> NvmeStatus.SUCCESS;
            case Opcodes.ADMIN_ASYNC_EVENT -> controller.holdAsyncEvent(queue, command);
            case Opcodes.ADMIN_ABORT ->
            {
                command.result = 1;   // DW0 bit 0: the command was not aborted
                yield NvmeStatus.SUCCESS;
            }
            default -> NvmeStatus.INVALID_OPCODE | NvmeStatus.DNR;
        };
    }

    /**
     * Checks a controller-to-host transfer descriptor and prepares a zeroed buffer of its length.
     *
     * @return SUCCESS, or the status that refuses the command.
     */
    private static int prepareReturnData(final QueueConnection queue, final Command command, final long lengthBytes)
    {
        if (command.sglType() != SqeDescriptor.SGL_TYPE_TRANSPORT)
        {
            return NvmeStatus.SGL_TYPE_INVALID | NvmeStatus.DNR;
        }
        if (command.sglLength() != lengthBytes || lengthBytes > queue.config().maxDataTransferBytes())
        {
            return NvmeStatus.SGL_LENGTH_INVALID | NvmeStatus.DNR;
        }
        command.buffer().asSlice(0, lengthBytes).fill((byte)0);
        command.dataBytes = (int)lengthBytes;
        return NvmeStatus.SUCCESS;
    }

    private static int identify(final QueueConnection queue, final Controller controller, final Command command)
    {
        final int cns = command.cdw(SqeDescriptor.CDW10_OFFSET) & 0xFF;
        final int csi = command.cdw(SqeDescriptor.CDW11_OFFSET) >>> 24;
        final long nsid = command.nsid();
        final Subsystem subsystem = controller.subsystem();
        if (subsystem == null && cns != 0x01)
        {
            return NvmeStatus.INVALID_FIELD | NvmeStatus.DNR;
        }
        final int status = prepareReturnData(queue, command, IdentifyPages.LENGTH);
        if (status != NvmeStatus.SUCCESS)
        {
            return status;
        }
        final MemorySegment out = command.buffer();
        switch (cns)
        {
            case 0x00, 0x03, 0x05 ->
            {
                if (nsid == 0 || nsid == (BROADCAST_NSID & 0xFFFF_FFFFL) || nsid > subsystem.namespaceIdCount())
                {
                    return NvmeStatus.INVALID_NAMESPACE | NvmeStatus.DNR;
                }
                if (cns == 0x05 && csi != 0)
                {
                    return NvmeStatus.INVALID_FIELD | NvmeStatus.DNR;
                }
                final Namespace namespace = subsystem.namespace(nsid);
                if (namespace == null)
                {
                    // A detached (inactive) NSID: a zero-filled structure, as the specification asks.
                    return NvmeStatus.SUCCESS;
                }
                if (cns == 0x00)
                {
                    IdentifyPages.namespace(subsystem, nsid, namespace, out);
                }
                else if (cns == 0x03)
                {
                    IdentifyPages.namespaceDescriptors(subsystem, nsid, out);
                }
                // CNS 0x05, NVM command set: no fields beyond Identify Namespace; all zeroes.
            }
            case 0x01 -> IdentifyPages.controller(controller, queue.config(), out);
            case 0x02 ->
            {
                if (nsid >= 0xFFFF_FFFEL)
                {
                    return NvmeStatus.INVALID_NAMESPACE | NvmeStatus.DNR;
                }
                IdentifyPages.activeNamespaces(subsystem, nsid, out);
            }
            case 0x06 ->
            {
                // I/O command set specific Identify Controller for NVM: no limits (all zeroes).
                if (csi != 0)
                {
                    return NvmeStatus.INVALID_FIELD | NvmeStatus.DNR;
                }
            }
            default ->
            {
                return NvmeStatus.INVALID_FIELD | NvmeStatus.DNR;
            }
        }
        return NvmeStatus.SUCCESS;
    }

    private static int getLogPage(final QueueConnection queue, final Controller controller, final Command command)
    {
        final int cdw10 = command.cdw(SqeDescriptor.CDW10_OFFSET);
        final int lid = cdw10 & 0xFF;
        final long dwords = ((long)(command.cdw(SqeDescriptor.CDW11_OFFSET) & 0xFFFF) << 16 | (cdw10 >>> 16)) + 1;
        final long offsetBytes = (command.cdw(SqeDescriptor.CDW12_OFFSET) & 0xFFFF_FFFFL)
            | ((long)command.cdw(SqeDescriptor.CDW13_OFFSET) << 32);
        final int sizeBytes = LogPages.size(controller, lid);
        if (sizeBytes < 0)
        {
            return NvmeStatus.INVALID_LOG_PAGE | NvmeStatus.DNR;
        }
        if ((offsetBytes & 3) != 0 || offsetBytes < 0 || offsetBytes > sizeBytes)
        {
            return NvmeStatus.INVALID_FIELD | NvmeStatus.DNR;
        }
        final long lengthBytes = dwords * 4;
        final int status = prepareReturnData(queue, command, lengthBytes);
        if (status != NvmeStatus.SUCCESS)
        {
            return status;
        }
        final long copyBytes = Math.min(lengthBytes, sizeBytes - offsetBytes);
        if (copyBytes > 0)
        {
            try (Arena scratch = Arena.ofConfined())
            {
                final MemorySegment log = scratch.allocate(sizeBytes, 8);
                // RAE (CDW10 bit 15): the host keeps the event outstanding; else reading the log clears it.
                LogPages.fill(controller, queue, lid, log, (cdw10 & 0x8000) != 0);
                MemorySegment.copy(log, offsetBytes, command.buffer(), 0, copyBytes);
            }
        }
        return NvmeStatus.SUCCESS;
    }

    private static int setFeatures(final Controller controller, final Command command)
    {
        final int cdw10 = command.cdw(SqeDescriptor.CDW10_OFFSET);
        if ((cdw10 & 0x8000_0000) != 0)
        {
            return NvmeStatus.FEATURE_NOT_SAVEABLE | NvmeStatus.DNR;
        }
        final int value = command.cdw(SqeDescriptor.CDW11_OFFSET);
        switch (cdw10 & 0xFF)
        {
            case Opcodes.FEATURE_NUMBER_OF_QUEUES ->
            {
                if (controller.discovery())
                {
                    return NvmeStatus.INVALID_FIELD | NvmeStatus.DNR;
                }
                final int requestedSq = value & 0xFFFF;
                final int requestedCq = value >>> 16;
                if (requestedSq == 0xFFFF || requestedCq == 0xFFFF)
                {
                    return NvmeStatus.INVALID_FIELD | NvmeStatus.DNR;
                }
                final int granted = Math.min(Math.min(requestedSq, requestedCq) + 1, controller.target().config().maxIoQueues());
                controller.ioQueuesGranted = granted;
                command.result = numberOfQueues(controller);
            }
            case Opcodes.FEATURE_ASYNC_EVENT_CONFIG -> controller.asyncEventConfig = value;
            case Opcodes.FEATURE_KEEP_ALIVE_TIMER -> controller.keepAliveTimeout(value & 0xFFFF_FFFFL);
            default ->
            {
                return NvmeStatus.INVALID_FIELD | NvmeStatus.DNR;
            }
        }
        return NvmeStatus.SUCCESS;
    }

    private static long numberOfQueues(final Controller controller)
    {
        final int zeroBased = controller.ioQueuesGranted - 1;
        return (zeroBased & 0xFFFFL) | ((long)(zeroBased & 0xFFFF) << 16);
    }

    private static int getFeatures(final Controller controller, final Command command)
    {
        switch (command.cdw(SqeDescriptor.CDW10_OFFSET) & 0xFF)
        {
            case Opcodes.FEATURE_NUMBER_OF_QUEUES ->
            {
                if (controller.discovery())
                {
                    return NvmeStatus.INVALID_FIELD | NvmeStatus.DNR;
                }
                command.result = numberOfQueues(controller);
            }
            case Opcodes.FEATURE_ASYNC_EVENT_CONFIG -> command.result = controller.asyncEventConfig & 0xFFFF_FFFFL;
            case Opcodes.FEATURE_KEEP_ALIVE_TIMER -> command.result = controller.katoMs();
            default ->
            {
                return NvmeStatus.INVALID_FIELD | NvmeStatus.DNR;
            }
        }
        return NvmeStatus.SUCCESS;
    }
}
