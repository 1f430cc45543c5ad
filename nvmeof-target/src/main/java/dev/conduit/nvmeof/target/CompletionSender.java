package dev.conduit.nvmeof.target;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.GatheringByteChannel;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;

import dev.conduit.nvmeof.command.NvmeStatus;
import dev.conduit.nvmeof.command.Opcodes;
import dev.conduit.nvmeof.pdu.CommonHeaderDescriptor;
import dev.conduit.nvmeof.pdu.PduWriter;

/**
 * Sends completed commands of one connection: each command's C2HData (header, data, data digest)
 * and CapsuleResp, or, without SQ flow control, its C2HData alone with SUCCESS set (as Linux nvmet
 * does). Commands that complete while another thread holds the send lock are not waited for: they
 * go on a lock-free stack that the lock's holder drains before it lets go, many commands to one
 * gathering write. So I/O threads never park on the lock, and under load one system call carries
 * several responses.
 *
 * <p>Threading: any thread; the writer, the buffer array and the commands' header memory are used
 * only under the send lock.
 */
final class CompletionSender
{
    // At most 4 buffers per command (header, data, digest, response): 32 commands per gathering write,
    // a queue depth of 32 4 KiB reads in one system call.
    private static final int MAX_BUFFERS = 128;
    private static final int BUFFERS_PER_COMMAND = 4;

    private final QueueConnection queue;
    private final GatheringByteChannel channel;
    private final PduWriter writer;
    private final ReentrantLock sendLock;
    private final AtomicReference<Command> waiting = new AtomicReference<>();
    private final ByteBuffer[] buffers = new ByteBuffer[MAX_BUFFERS];

    CompletionSender(final QueueConnection queue, final GatheringByteChannel channel, final PduWriter writer, final ReentrantLock sendLock)
    {
        this.queue = queue;
        this.channel = channel;
        this.writer = writer;
        this.sendLock = sendLock;
    }

    /**
     * Queues a completed command and sends it now, unless another thread is sending: that thread
     * then sends it before it releases the lock. For I/O threads.
     */
    void offer(final Command command, final int status) throws IOException
    {
        push(command, status);
        flush();
    }

    /**
     * Queues a completed command without sending it: the next {@link #flush()}, or any send before
     * it, takes it along. For the reading thread, which flushes before it waits for the socket.
     */
    void defer(final Command command, final int status)
    {
        push(command, status);
    }

    /** Queues a completed command and returns once it has been sent. */
    void send(final Command command, final int status) throws IOException
    {
        push(command, status);
        sendLock.lock();
        try
        {
            drain();
        }
        finally
        {
            sendLock.unlock();
        }
        flush();
    }

    /**
     * Sends what was queued while the lock was held: every other user of the send lock calls this
     * after releasing it, so nothing queued is left behind.
     */
    void flush() throws IOException
    {
        while (waiting.get() != null && sendLock.tryLock())
        {
            try
            {
                drain();
            }
            finally
            {
                sendLock.unlock();
            }
        }
    }

    private void push(final Command command, final int status)
    {
        command.status = status;
        Command head;
        do
        {
            head = waiting.get();
            command.nextToSend = head;
        }
        while (!waiting.compareAndSet(head, command));
    }

    private void drain() throws IOException
    {
        Command next = waiting.getAndSet(null);
        while (next != null)
        {
            final Command first = next;
            int count = 0;
            while (next != null && count + BUFFERS_PER_COMMAND <= MAX_BUFFERS)
            {
                count = stage(next, count);
                next = next.nextToSend;
            }
            try
            {
                PduWriter.writeAll(channel, buffers, count);
            }
            finally
            {
                Arrays.fill(buffers, 0, count, null);
            }
            for (Command sent = first; sent != next; )
            {
                final Command after = sent.nextToSend;
                sent.nextToSend = null;
                queue.release(sent);
                sent = after;
            }
        }
    }

    /** Adds a command's PDUs to {@link #buffers} from {@code count}; @return the new count. */
    private int stage(final Command command, final int count)
    {
        int n = count;
        queue.responded();
        final int status = command.status;
        final int cid = command.cid();
        final int dataBytes = status == NvmeStatus.SUCCESS && Opcodes.controllerToHost(command.opcode())
            && command.opcode() != Opcodes.FABRICS ? command.dataBytes : 0;
        final boolean responseInData = dataBytes > 0 && queue.sqFlowDisabled() && command.result == 0;
        if (dataBytes > 0)
        {
            final ByteBuffer data = command.bufferView(dataBytes);
            final int flags = CommonHeaderDescriptor.FLAG_LAST_PDU | (responseInData ? CommonHeaderDescriptor.FLAG_SUCCESS : 0);
            buffers[n++] = command.stageHeader(0, writer, writer.c2hData(cid, 0, dataBytes, flags));
            buffers[n++] = data;
            if (writer.dataDigestOn())
            {
                buffers[n++] = command.stageDigest(writer.dataDigest(data));
            }
        }
        if (!responseInData)
        {
            buffers[n++] = command.stageHeader(1, writer,
                writer.capsuleResp(cid, Math.max(queue.qid(), 0), queue.sqFlowDisabled() ? 0xFFFF : queue.sqHead(), status, command.result));
        }
        return n;
    }
}
